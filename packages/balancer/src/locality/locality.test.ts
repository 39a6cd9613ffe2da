import { describe, expect, it } from 'vitest'
import { distributeWeights, type DistributeRules } from './distribute.js'
import { effectiveLocalityWeight, healthPercent, priorityLoads } from './health.js'
import { localityMatches, parseLocality } from './locality.js'
import { assignPriorities, labelPriority, localityPriority } from './priorities.js'

const here = parseLocality('us-east/us-east-1a/rack1')

describe('localityMatches', () => {
  it('treats *, a missing zone and a missing subzone as wildcards', () => {
    expect(localityMatches('us-east', here)).toBe(true)
    expect(localityMatches('us-east/*', here)).toBe(true)
    expect(localityMatches('us-east/us-east-1a/*', here)).toBe(true)
    expect(localityMatches('*', here)).toBe(true)
    expect(localityMatches('us-east/us-east-1b', here)).toBe(false)
    expect(localityMatches('us-west/*', here)).toBe(false)
  })
})

describe('localityPriority (Istio default failover)', () => {
  it('ranks same subzone 0, same zone 1, same region 2, elsewhere 3', () => {
    expect(localityPriority(here, parseLocality('us-east/us-east-1a/rack1'), [])).toBe(0)
    expect(localityPriority(here, parseLocality('us-east/us-east-1a/rack2'), [])).toBe(1)
    expect(localityPriority(here, parseLocality('us-east/us-east-1b'), [])).toBe(2)
    expect(localityPriority(here, parseLocality('eu-west/eu-west-1a'), [])).toBe(3)
  })

  it('puts regions other than the failover target last (4)', () => {
    const failover = [{ from: 'us-east', to: 'us-west' }]
    expect(localityPriority(here, parseLocality('us-west/a'), failover)).toBe(3)
    expect(localityPriority(here, parseLocality('eu-west/a'), failover)).toBe(4)
  })
})

describe('labelPriority (failoverPriority)', () => {
  const mine = { network: 'n1', 'topology.kubernetes.io/region': 'us-east' }
  const order = ['network', 'topology.kubernetes.io/region']

  it('gives 0 when every label matches, and n - j when the j-th label is the first to differ', () => {
    expect(labelPriority({ network: 'n1', 'topology.kubernetes.io/region': 'us-east' }, mine, order)).toBe(0)
    expect(labelPriority({ network: 'n1', 'topology.kubernetes.io/region': 'eu' }, mine, order)).toBe(1)
    expect(labelPriority({ network: 'n2', 'topology.kubernetes.io/region': 'us-east' }, mine, order)).toBe(2)
  })

  it('compares key=value entries with the written value instead of our own label', () => {
    expect(labelPriority({ tier: 'gold' }, {}, ['tier=gold'])).toBe(0)
    expect(labelPriority({ tier: 'silver' }, { tier: 'silver' }, ['tier=gold'])).toBe(1)
  })
})

describe('assignPriorities', () => {
  const input = (locality: string, labels: Record<string, string> = {}) => ({ locality: parseLocality(locality), labels })

  it('compacts priorities to 0..N without gaps', () => {
    const result = assignPriorities([input('us-east/us-east-1a/rack1'), input('eu-west/x')], { local: here, localLabels: {}, failover: [], failoverPriority: [] })
    expect(result).toEqual([0, 1])
  })

  it('orders by labels first and, with failover also given, by locality inside a label level', () => {
    const settings = { local: here, localLabels: { network: 'n1' }, failover: [{ from: 'us-east', to: 'us-west' }], failoverPriority: ['network'] }
    const result = assignPriorities([input('us-east/us-east-1a/rack1', { network: 'n1' }), input('us-west/a', { network: 'n1' }), input('us-east/us-east-1a/rack1', { network: 'n2' })], settings)
    expect(result).toEqual([0, 1, 2])
  })

  it('uses labels only when failoverPriority is given without failover', () => {
    const settings = { local: here, localLabels: { network: 'n1' }, failover: [], failoverPriority: ['network'] }
    const result = assignPriorities([input('eu-west/a', { network: 'n1' }), input('us-east/us-east-1a/rack1', { network: 'n2' })], settings)
    expect(result).toEqual([0, 1])
  })

  it('derives topology labels from the locality for failoverPriority', () => {
    const settings = { local: here, localLabels: { 'topology.kubernetes.io/region': 'us-east' }, failover: [], failoverPriority: ['topology.kubernetes.io/region'] }
    expect(assignPriorities([input('eu-west/a'), input('us-east/b')], settings)).toEqual([1, 0])
  })
})

describe('priorityLoads (Envoy priority levels with overprovisioning 1.4)', () => {
  it.each([
    [100, [100, 0]],
    [72, [100, 0]],
    [71, [99, 1]],
    [50, [70, 30]],
    [25, [35, 65]],
    [0, [0, 100]],
  ])('gives P0 with %i %% healthy hosts the table’s share', (healthyPercent, expected) => {
    expect(priorityLoads([healthyPercent, 100], [100, 100])).toEqual(expected)
  })

  it('normalizes when the total health is below 100 (25 % and 25 % healthy → 50/50)', () => {
    expect(priorityLoads([25, 25], [100, 100])).toEqual([50, 50])
  })

  it('gives nothing to anyone when no host is healthy', () => {
    expect(priorityLoads([0, 0], [4, 4])).toEqual([0, 0])
  })

  it('rounds health down to whole percent and caps it at 100', () => {
    expect(healthPercent(71, 100)).toBe(99)
    expect(healthPercent(9, 10)).toBe(100)
    expect(effectiveLocalityWeight(1, 69, 100)).toBe(96)
  })
})

describe('distributeWeights', () => {
  const groups = [
    { locality: parseLocality('us-east/a'), weight: 2 },
    { locality: parseLocality('us-east/b'), weight: 2 },
    { locality: parseLocality('us-west/a'), weight: 1 },
    { locality: parseLocality('eu/a'), weight: 1 },
  ]

  it('applies the first rule whose from matches us, and leaves unlisted localities out', () => {
    const rules: DistributeRules = [
      { from: 'eu/*', to: { 'eu/*': 100 } },
      { from: 'us-east/*', to: { 'us-east/a': 80, 'us-west/*': 20 } },
    ]
    expect(distributeWeights(parseLocality('us-east/a'), rules, groups)).toEqual([80, undefined, 20, undefined])
  })

  it('shares an entry’s weight among the localities it matches, rounded up', () => {
    const rules = [{ from: '*', to: { 'us-east/*': 90, 'eu/*': 10 } }]
    expect(distributeWeights(parseLocality('x/y'), rules, groups)).toEqual([45, 45, undefined, 10])
  })

  it('returns undefined when no rule applies to our locality', () => {
    expect(distributeWeights(parseLocality('ap/x'), [{ from: 'us-east', to: { 'us-east': 100 } }], groups)).toBeUndefined()
  })
})
