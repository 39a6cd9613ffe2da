import { describe, expect, it } from 'vitest'
import { withTopologyLabels } from './topology-labels.js'

describe('withTopologyLabels', () => {
  it('adds region, zone and subzone labels from the locality, replacing labels of the same name', () => {
    expect(withTopologyLabels({ app: 'reviews', 'topology.kubernetes.io/zone': 'stale' }, 'us-east1/us-east1-b/rack-4')).toEqual({
      app: 'reviews',
      'topology.kubernetes.io/region': 'us-east1',
      'topology.kubernetes.io/zone': 'us-east1-b',
      'topology.istio.io/subzone': 'rack-4',
    })
  })

  it('adds only the parts a shorter locality names', () => {
    expect(withTopologyLabels({}, 'eu-west1')).toEqual({ 'topology.kubernetes.io/region': 'eu-west1' })
  })

  it('adds the network label only when the endpoint has none', () => {
    expect(withTopologyLabels({}, undefined, 'net-a')).toEqual({ 'topology.istio.io/network': 'net-a' })
    expect(withTopologyLabels({ 'topology.istio.io/network': 'own' }, undefined, 'net-a')).toEqual({ 'topology.istio.io/network': 'own' })
  })

  it('returns the same labels object when there is no locality or network', () => {
    const labels = { app: 'reviews' }
    expect(withTopologyLabels(labels, undefined)).toBe(labels)
  })
})
