import { describe, expect, it } from 'vitest'
import { compileYaml, destinationRule } from './helpers.js'

const reviewsRule = destinationRule(
  'reviews',
  `
host: reviews
trafficPolicy:
  loadBalancer: {simple: ROUND_ROBIN}
  connectionPool:
    tcp: {maxConnections: 100, connectTimeout: 2s}
  outlierDetection:
    consecutive5xxErrors: 3
  portLevelSettings:
  - port: {number: 9080}
    loadBalancer: {simple: RANDOM}
subsets:
- name: v1
  labels: {version: v1}
- name: v2
  labels: {version: v2}
  trafficPolicy:
    connectionPool:
      http: {http1MaxPendingRequests: 1}
- name: v3
  labels: {version: v3}
  trafficPolicy:
    loadBalancer: {simple: LEAST_REQUEST}
    portLevelSettings:
    - port: {number: 9090}
      outlierDetection: {consecutive5xxErrors: 9}
`,
)

describe('DestinationRule policies', () => {
  it('applies the top-level policy with defaults filled in', async () => {
    const rule = (await compileYaml(reviewsRule)).lookupDestinationRule('reviews.default.svc.cluster.local')!
    const policy = rule.policyFor(undefined, undefined)
    expect(policy.loadBalancer.algorithm).toBe('ROUND_ROBIN')
    expect(policy.connectionPool).toMatchObject({ maxConnections: 100, connectTimeoutMs: 2000, http1MaxPendingRequests: 4294967295, httpIdleTimeoutMs: undefined })
    expect(policy.outlierDetection).toMatchObject({ consecutive5xxErrors: 3, consecutiveGatewayErrors: 0, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 10, minHealthPercent: 0 })
  })

  it('replaces the whole top-level policy with a matching port-level entry', async () => {
    const policy = (await compileYaml(reviewsRule)).lookupDestinationRule('reviews.default.svc.cluster.local')!.policyFor(undefined, 9080)
    expect(policy.loadBalancer.algorithm).toBe('RANDOM')
    // No inheritance: blocks the port entry leaves out fall back to defaults, not to the top level.
    expect(policy.connectionPool.maxConnections).toBe(4294967295)
    expect(policy.outlierDetection).toBeUndefined()
  })

  it('lets a subset block replace the whole block and inherit the others', async () => {
    const policy = (await compileYaml(reviewsRule)).lookupDestinationRule('reviews.default.svc.cluster.local')!.policyFor('v2', undefined)
    expect(policy.connectionPool.http1MaxPendingRequests).toBe(1)
    expect(policy.connectionPool.maxConnections).toBe(4294967295)
    expect(policy.loadBalancer.algorithm).toBe('ROUND_ROBIN')
    expect(policy.outlierDetection?.consecutive5xxErrors).toBe(3)
  })

  it('takes every block from a subset port-level entry, even the ones it leaves out', async () => {
    const policy = (await compileYaml(reviewsRule)).lookupDestinationRule('reviews.default.svc.cluster.local')!.policyFor('v3', 9090)
    expect(policy.outlierDetection?.consecutive5xxErrors).toBe(9)
    expect(policy.loadBalancer.algorithm).toBe('LEAST_REQUEST')
    expect(policy.connectionPool.maxConnections).toBe(4294967295)
  })

  it('applies the top-level port entry before the subset overrides it', async () => {
    const policy = (await compileYaml(reviewsRule)).lookupDestinationRule('reviews.default.svc.cluster.local')!.policyFor('v2', 9080)
    expect(policy.loadBalancer.algorithm).toBe('RANDOM')
    expect(policy.connectionPool.http1MaxPendingRequests).toBe(1)
  })

  it('resolves each (subset, port) once and hands back the same frozen policy', async () => {
    const rule = (await compileYaml(reviewsRule)).lookupDestinationRule('reviews.default.svc.cluster.local')!
    expect(rule.policyFor('v1', 9080)).toBe(rule.policyFor('v1', 9080))
    expect(Object.isFrozen(rule.policyFor('v1', 9080).connectionPool)).toBe(true)
  })

  it('defaults to LEAST_REQUEST with no outlier detection when nothing is set', async () => {
    const snapshot = await compileYaml(destinationRule('ratings', 'host: ratings\nsubsets:\n- name: v1\n  labels: {version: v1}'))
    const policy = snapshot.trafficPolicyFor('ratings.default.svc.cluster.local', 'v1', 80)
    expect(policy.loadBalancer.algorithm).toBe('LEAST_REQUEST')
    expect(policy.outlierDetection).toBeUndefined()
    expect(snapshot.trafficPolicyFor('unknown.example.com', undefined, undefined).loadBalancer.algorithm).toBe('LEAST_REQUEST')
  })

  it('compiles consistent hashing with Envoy defaults', async () => {
    const snapshot = await compileYaml(destinationRule('cart', 'host: cart\ntrafficPolicy:\n  loadBalancer:\n    consistentHash: {httpHeaderName: X-User}'))
    const policy = snapshot.trafficPolicyFor('cart.default.svc.cluster.local', undefined, undefined)
    expect(policy.loadBalancer).toMatchObject({
      algorithm: 'CONSISTENT_HASH',
      consistentHash: { key: { kind: 'header', name: 'x-user' }, algorithm: { kind: 'ringHash', minimumRingSize: 1024 } },
    })
  })

  it('takes the deprecated warmupDurationSecs as the warmup window, with Istio\'s default ramp', async () => {
    const snapshot = await compileYaml(destinationRule('cart', 'host: cart\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN, warmupDurationSecs: 90s}'))
    expect(snapshot.trafficPolicyFor('cart.default.svc.cluster.local', undefined, undefined).loadBalancer.warmup).toEqual({ durationMs: 90_000, minimumPercent: 10, aggression: 1 })
  })

  it('counts the deprecated consecutiveErrors as consecutive gateway errors, as Istio translated it', async () => {
    const snapshot = await compileYaml(destinationRule('cart', 'host: cart\ntrafficPolicy:\n  outlierDetection: {consecutiveErrors: 7}'))
    expect(snapshot.trafficPolicyFor('cart.default.svc.cluster.local', undefined, undefined).outlierDetection).toMatchObject({ consecutiveGatewayErrors: 7, consecutive5xxErrors: 5 })
  })

  it('takes the ring size of ringHash, of the deprecated minimumRingSize, and the maglev table size', async () => {
    const algorithmOf = async (loadBalancer: string) => {
      const snapshot = await compileYaml(destinationRule('cart', `host: cart\ntrafficPolicy:\n  loadBalancer:\n    consistentHash: ${loadBalancer}`))
      return snapshot.trafficPolicyFor('cart.default.svc.cluster.local', undefined, undefined).loadBalancer.consistentHash?.algorithm
    }
    expect(await algorithmOf('{httpHeaderName: x, ringHash: {minimumRingSize: 4096}}')).toEqual({ kind: 'ringHash', minimumRingSize: 4096 })
    expect(await algorithmOf('{httpHeaderName: x, minimumRingSize: 2048}')).toEqual({ kind: 'ringHash', minimumRingSize: 2048 })
    expect(await algorithmOf('{httpHeaderName: x, maglev: {tableSize: 251}}')).toEqual({ kind: 'maglev', tableSize: 251 })
  })

  it('switches the algorithm to PEAK_EWMA with the meshlet.io/load-balancer annotation', async () => {
    const snapshot = await compileYaml(destinationRule('ratings', 'host: ratings\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN}', 'default', 'meshlet.io/load-balancer: PEAK_EWMA'))
    const policy = snapshot.trafficPolicyFor('ratings.default.svc.cluster.local', undefined, undefined)
    expect(policy.loadBalancer.algorithm).toBe('PEAK_EWMA')
    expect(policy.extensions).toMatchObject({ loadBalancer: 'PEAK_EWMA' })
  })

  it('takes any algorithm the meshlet.io/load-balancer annotation names, over simple and consistentHash', async () => {
    const snapshot = await compileYaml(destinationRule('cart', 'host: cart\ntrafficPolicy:\n  loadBalancer:\n    consistentHash: {httpHeaderName: x-user}', 'default', 'meshlet.io/load-balancer: RANDOM'))
    const policy = snapshot.trafficPolicyFor('cart.default.svc.cluster.local', undefined, undefined)
    expect(policy.loadBalancer).toMatchObject({ algorithm: 'RANDOM', consistentHash: undefined })
  })

  it('carries the meshlet.io/peak-ewma decay on the compiled load balancer', async () => {
    const annotations = "meshlet.io/load-balancer: PEAK_EWMA\nmeshlet.io/peak-ewma: '{decay: 2s}'"
    const snapshot = await compileYaml(destinationRule('ratings', 'host: ratings', 'default', annotations))
    const policy = snapshot.trafficPolicyFor('ratings.default.svc.cluster.local', 'any', 8080)
    expect(policy.loadBalancer).toMatchObject({ algorithm: 'PEAK_EWMA', peakEwmaDecayMs: 2000 })
  })
})

describe('several DestinationRules for one host', () => {
  const first = destinationRule('a-first', 'host: reviews\ntrafficPolicy:\n  loadBalancer: {simple: RANDOM}\nsubsets:\n- name: v1\n  labels: {version: v1}')
  const second = destinationRule('b-second', 'host: reviews\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN}\nsubsets:\n- name: v1\n  labels: {version: other}\n- name: v2\n  labels: {version: v2}')

  it('concatenates subsets, dropping a later duplicate name', async () => {
    const rule = (await compileYaml(second + first)).lookupDestinationRule('reviews.default.svc.cluster.local')!
    expect(rule.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ])
    expect(rule.mergedFrom?.map((ref) => ref.name)).toEqual(['a-first', 'b-second'])
  })

  it('keeps the first rule top-level policy without merging the second into it', async () => {
    const rule = (await compileYaml(second + first)).lookupDestinationRule('reviews.default.svc.cluster.local')!
    expect(rule.policyFor(undefined, undefined).loadBalancer.algorithm).toBe('RANDOM')
  })

  it('prefers the rule in the caller namespace over one elsewhere', async () => {
    const local = destinationRule('local', 'host: reviews.prod.svc.cluster.local\ntrafficPolicy:\n  loadBalancer: {simple: RANDOM}', 'default')
    const remote = destinationRule('remote', 'host: reviews\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN}', 'prod')
    const rule = (await compileYaml(remote + local)).lookupDestinationRule('reviews.prod.svc.cluster.local')!
    expect(rule.ref.name).toBe('local')
  })

  it('applies a workload-selected rule only to the workloads it selects in its namespace', async () => {
    const selected = destinationRule('selected', 'host: reviews\nworkloadSelector:\n  matchLabels: {app: productpage}\ntrafficPolicy:\n  loadBalancer: {simple: RANDOM}')
    const algorithm = async (labels: Record<string, string>, namespace = 'default') =>
      (await compileYaml(selected, { labels, namespace })).trafficPolicyFor('reviews.default.svc.cluster.local', undefined, undefined).loadBalancer.algorithm
    expect(await algorithm({ app: 'productpage' })).toBe('RANDOM')
    expect(await algorithm({ app: 'ratings' })).toBe('LEAST_REQUEST')
    expect(await algorithm({ app: 'productpage' }, 'other')).toBe('LEAST_REQUEST')
  })

  it('finds the most specific DestinationRule for a host', async () => {
    const snapshot = await compileYaml(
      destinationRule('wide', 'host: "*.example.com"\ntrafficPolicy:\n  loadBalancer: {simple: RANDOM}') +
        destinationRule('narrow', 'host: "*.api.example.com"\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN}'),
    )
    expect(snapshot.lookupDestinationRule('v1.api.example.com')?.ref.name).toBe('narrow')
    expect(snapshot.lookupDestinationRule('www.example.com')?.ref.name).toBe('wide')
    expect(snapshot.lookupDestinationRule('example.org')).toBeUndefined()
  })
})
