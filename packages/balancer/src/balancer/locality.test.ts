import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import type { BalancerConfig } from '../config/config.js'
import { VirtualClock } from '../simulator/virtual-clock.js'
import { createBalancer } from './create-balancer.js'

const at = (address: string, locality: string, labels: Record<string, string> = {}) => ({ address, port: 80, locality, labels })

const local = [at('local-1', 'us-east/us-east-1a'), at('local-2', 'us-east/us-east-1a')]
const sameRegion = [at('zone-b-1', 'us-east/us-east-1b'), at('zone-b-2', 'us-east/us-east-1b')]
const remote = [at('west-1', 'us-west/us-west-1a'), at('eu-1', 'eu-west/eu-west-1a')]
const all = [...local, ...sameRegion, ...remote]

function shareBy(balancer: { pick(): { address: string } | undefined }, count: number, prefix: (address: string) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const picked = balancer.pick()
    const key = picked === undefined ? 'none' : prefix(picked.address)
    counts[key] = (counts[key] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / count]))
}
const zoneOf = (address: string) => address.split('-')[0]!

describe('locality failover', () => {
  const options = { localLocality: 'us-east/us-east-1a', outlierDetectionEnabled: true }

  it('keeps all traffic in our own zone while it is healthy', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, all, { ...options, random: seededRandom(41) })
    expect(shareBy(balancer, 1_000, zoneOf)).toEqual({ local: 1 })
    expect(balancer.describe().levels.map((level) => level.load)).toEqual([100, 0, 0])
  })

  it('fails over to the next zone of the region when the local zone is ejected, and back when it returns', () => {
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, all, { ...options, random: seededRandom(42) })
    for (const endpoint of local) balancer.setEjected(endpoint, true)
    expect(shareBy(balancer, 1_000, zoneOf)).toEqual({ zone: 1 })
    for (const endpoint of sameRegion) balancer.setEjected(endpoint, true)
    const remoteShare = shareBy(balancer, 1_000, zoneOf)
    expect(Object.keys(remoteShare).sort()).toEqual(['eu', 'west'])
    for (const endpoint of [...local, ...sameRegion]) balancer.setEjected(endpoint, false)
    expect(shareBy(balancer, 1_000, zoneOf)).toEqual({ local: 1 })
  })

  it('fails over when the local zone is ejected, spreading over the next zone, and comes back when it returns', () => {
    const clock = new VirtualClock()
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, all, { ...options, clock, random: seededRandom(40) })
    for (const e of local) balancer.setEjected(e, true)
    const picked = Array.from({ length: 100 }, () => balancer.pick()!.address)
    expect(new Set(picked)).toEqual(new Set(['zone-b-1', 'zone-b-2']))
    expect(picked.filter((a) => a === 'zone-b-1').length).toBeGreaterThan(45)
    for (const e of local) balancer.setEjected(e, false)
    expect(new Set(Array.from({ length: 20 }, () => balancer.pick()!.address))).toEqual(new Set(['local-1', 'local-2']))
  })

  it('spills part of the traffic over when half the local zone is ejected (50 % × 1.4 = 70 % stays)', () => {
    const four = [0, 1, 2, 3].map((i) => at(`local-${i}`, 'us-east/us-east-1a'))
    const balancer = createBalancer({ algorithm: 'RANDOM' }, [...four, ...sameRegion], { ...options, random: seededRandom(43) })
    balancer.setEjected(four[0]!, true)
    balancer.setEjected(four[1]!, true)
    const shares = shareBy(balancer, 20_000, zoneOf)
    expect(shares.local).toBeGreaterThan(0.68)
    expect(shares.local).toBeLessThan(0.72)
  })

  it('does not fail over without outlier detection (Istio applies priorities only then)', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, all, { localLocality: 'us-east/us-east-1a', random: seededRandom(44) })
    expect(Object.keys(shareBy(balancer, 600, zoneOf)).sort()).toEqual(['eu', 'local', 'west', 'zone'])
  })

  it('does nothing when locality balancing is disabled', () => {
    const config: BalancerConfig = { algorithm: 'ROUND_ROBIN', locality: { enabled: false } }
    const balancer = createBalancer(config, all, { ...options, random: seededRandom(45) })
    expect(balancer.describe().levels).toHaveLength(1)
  })

  it('follows failover from→to: the named region before any other', () => {
    const config: BalancerConfig = { algorithm: 'ROUND_ROBIN', locality: { failover: [{ from: 'us-east', to: 'eu-west' }] } }
    const balancer = createBalancer(config, all, { ...options, random: seededRandom(46) })
    for (const endpoint of [...local, ...sameRegion]) balancer.setEjected(endpoint, true)
    expect(shareBy(balancer, 500, zoneOf)).toEqual({ eu: 1 })
  })

  it('orders by failoverPriority labels', () => {
    const endpoints = [at('same-net', 'eu-west/a', { network: 'n1' }), at('other-net', 'us-east/us-east-1a', { network: 'n2' })]
    const config: BalancerConfig = { algorithm: 'ROUND_ROBIN', locality: { failoverPriority: ['network'] } }
    const balancer = createBalancer(config, endpoints, { ...options, localLabels: { network: 'n1' }, random: seededRandom(47) })
    expect(shareBy(balancer, 100, (a) => a)).toEqual({ 'same-net': 1 })
  })

  it('returns undefined when every endpoint is ejected (Istio’s panic threshold 0)', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, all, { ...options, random: seededRandom(48) })
    for (const endpoint of all) balancer.setEjected(endpoint, true)
    expect(balancer.pick()).toBeUndefined()
  })

  it('uses ejected endpoints too below a panic threshold', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, all, { ...options, panicThresholdPercent: 50, random: seededRandom(49) })
    for (const endpoint of all.slice(0, 4)) balancer.setEjected(endpoint, true)
    expect(balancer.describe().panic).toBe(true)
    expect(shareBy(balancer, 100, zoneOf).local).toBe(1)
  })
})

describe('locality distribute', () => {
  const config: BalancerConfig = {
    algorithm: 'ROUND_ROBIN',
    locality: { distribute: [{ from: 'us-east/us-east-1a/*', to: { 'us-east/us-east-1a/*': 80, 'us-east/us-east-1b/*': 20 } }] },
  }

  it('splits traffic 80/20 between the listed localities and sends none elsewhere', () => {
    const balancer = createBalancer(config, all, { localLocality: 'us-east/us-east-1a', random: seededRandom(51) })
    const shares = shareBy(balancer, 20_000, zoneOf)
    expect(Object.keys(shares).sort()).toEqual(['local', 'zone'])
    expect(shares.local).toBeGreaterThan(0.78)
    expect(shares.local).toBeLessThan(0.82)
  })

  it('applies without outlier detection', () => {
    const balancer = createBalancer(config, all, { localLocality: 'us-east/us-east-1a', random: seededRandom(52) })
    expect(balancer.describe().levels[0]!.localities.map((l) => [l.locality, l.effectiveWeight])).toEqual([
      ['us-east/us-east-1a', 8_000],
      ['us-east/us-east-1b', 2_000],
    ])
  })

  it('lowers a locality’s weight as its hosts are ejected (weight × healthy % × 1.4)', () => {
    const balancer = createBalancer(config, all, { localLocality: 'us-east/us-east-1a', random: seededRandom(53) })
    balancer.setEjected(local[0]!, true)
    // local: 80 × min(100, 70) = 5600 against 20 × 100 = 2000 → 73.7 %.
    const shares = shareBy(balancer, 20_000, zoneOf)
    expect(shares.local).toBeGreaterThan(0.72)
    expect(shares.local).toBeLessThan(0.755)
  })

  it('is ignored when no rule matches our locality', () => {
    const balancer = createBalancer(config, all, { localLocality: 'eu-west/eu-west-1a', random: seededRandom(54) })
    expect(Object.keys(shareBy(balancer, 600, zoneOf)).sort()).toEqual(['eu', 'local', 'west', 'zone'])
  })
})
