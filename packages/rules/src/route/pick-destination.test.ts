import { describe, expect, it } from 'vitest'
import type { CompiledDestination, RouteToDestinations } from '../compile/snapshot.js'
import { pickDestination } from './pick-destination.js'

const NO_HEADERS = { request: { set: {}, add: {}, remove: [] }, response: { set: {}, add: {}, remove: [] } }

function split(...weights: number[]): RouteToDestinations {
  const destinations: CompiledDestination[] = weights.map((weight, i) => ({ host: `h${i}`, subset: undefined, port: undefined, weight, headers: NO_HEADERS }))
  let total = 0
  const cumulativeWeights = weights.map((weight) => (total += weight))
  return { kind: 'route', destinations, cumulativeWeights, totalWeight: total }
}

describe('pickDestination', () => {
  it('maps the random value onto cumulative weight intervals', () => {
    const action = split(20, 30, 50)
    expect(pickDestination(action, 0).host).toBe('h0')
    expect(pickDestination(action, 0.1999).host).toBe('h0')
    expect(pickDestination(action, 0.2).host).toBe('h1')
    expect(pickDestination(action, 0.4999).host).toBe('h1')
    expect(pickDestination(action, 0.5).host).toBe('h2')
    expect(pickDestination(action, 0.999999).host).toBe('h2')
  })

  it('gives a single destination everything', () => {
    expect(pickDestination(split(7), 0.99).host).toBe('h0')
  })

  it('finds the right interval in a long split', () => {
    const action = split(...Array.from({ length: 100 }, () => 1))
    expect(pickDestination(action, 0.505).host).toBe('h50')
    expect(pickDestination(action, 0.995).host).toBe('h99')
  })
})
