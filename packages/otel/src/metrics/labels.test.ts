import { describe, expect, it } from 'vitest'
import { destinationLabels, sourceLabels } from './labels.js'

describe('source labels', () => {
  it("name this process from its identity and labels, with Istio's canonical service fallbacks", () => {
    expect(sourceLabels({ workload: 'productpage-v1', namespace: 'bookinfo', labels: { app: 'productpage', version: 'v1' } })).toEqual({
      source_workload: 'productpage-v1',
      source_canonical_service: 'productpage',
      source_canonical_revision: 'v1',
      source_workload_namespace: 'bookinfo',
      source_principal: 'unknown',
      source_app: 'productpage',
      source_version: 'v1',
      source_cluster: 'unknown',
    })
  })

  it("say unknown for what is not known, and 'latest' for a missing canonical revision", () => {
    const labels = sourceLabels({})
    expect(labels.source_workload).toBe('unknown')
    expect(labels.source_canonical_service).toBe('unknown')
    expect(labels.source_canonical_revision).toBe('latest')
  })

  it('prefer the canonical service labels over app, and app.kubernetes.io/name over app', () => {
    expect(sourceLabels({ labels: { app: 'a', 'app.kubernetes.io/name': 'b' } }).source_canonical_service).toBe('b')
    expect(sourceLabels({ labels: { app: 'a', 'service.istio.io/canonical-name': 'c', 'service.istio.io/canonical-revision': 'r7' } })).toMatchObject({
      source_canonical_service: 'c',
      source_canonical_revision: 'r7',
    })
    expect(sourceLabels({ workload: 'ratings-v1' }).source_canonical_service).toBe('ratings-v1')
  })
})

describe('destination labels', () => {
  it('come from the service host and the labels of the endpoint that answered', () => {
    expect(destinationLabels({ service: 'reviews.bookinfo.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v2' } })).toEqual({
      destination_workload: 'unknown',
      destination_workload_namespace: 'bookinfo',
      destination_principal: 'unknown',
      destination_app: 'reviews',
      destination_version: 'v2',
      destination_service: 'reviews.bookinfo.svc.cluster.local',
      destination_canonical_service: 'reviews',
      destination_canonical_revision: 'v2',
      destination_service_name: 'reviews',
      destination_service_namespace: 'bookinfo',
      destination_cluster: 'unknown',
    })
  })

  it('leave the workload unknown when no endpoint was reached (no route, no healthy upstream)', () => {
    const labels = destinationLabels({ service: 'reviews.bookinfo.svc.cluster.local' })
    expect(labels.destination_workload_namespace).toBe('unknown')
    expect(labels.destination_version).toBe('unknown')
    expect(labels.destination_canonical_service).toBe('unknown')
    expect(labels.destination_canonical_revision).toBe('latest')
    expect(labels.destination_service_namespace).toBe('bookinfo')
  })

  it("name a ServiceEntry host by the host itself, as Istio's cluster metadata does", () => {
    const labels = destinationLabels({ service: 'api.example.com', serviceNamespace: 'egress' })
    expect(labels.destination_service_name).toBe('api.example.com')
    expect(labels.destination_service_namespace).toBe('egress')
  })

  it('call a host the mesh does not know PassthroughCluster', () => {
    expect(destinationLabels({ service: 'example.org', passthrough: true }).destination_service_name).toBe('PassthroughCluster')
  })

  it('never hold an IP address: a pod IP would make a series per pod', () => {
    const labels = destinationLabels({ service: '10.1.2.3', passthrough: true, endpointLabels: { version: '10.1.2.3:8080' } })
    expect(labels.destination_service).toBe('unknown')
    expect(labels.destination_version).toBe('unknown')
    expect(destinationLabels({ service: '[fe80::1]:80' }).destination_service).toBe('unknown')
    expect(destinationLabels({ service: '::1' }).destination_service).toBe('unknown')
  })
})
