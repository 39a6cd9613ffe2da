import type { TrafficPolicy } from '../../spec/destination-rule.js'
import type { CompiledLoadBalancer, CompiledTrafficPolicy } from '../snapshot.js'
import type { ExtensionLoadBalancer } from '../../extensions/types.js'
import { deepFreeze } from '../freeze.js'
import { compileConnectionPool, DEFAULT_CONNECTION_POOL } from './connection-pool.js'
import { compileLoadBalancer, DEFAULT_COMPILED_LOAD_BALANCER } from './load-balancer.js'
import { compileOutlierDetection } from './outlier-detection.js'
import { compileRetryBudget } from './retry-budget.js'
import type { PolicyBlocks } from './precedence.js'
import { resolvePolicyBlocks } from './precedence.js'

/** What a cluster gets with no DestinationRule: Istio's defaults for every block. */
export const DEFAULT_TRAFFIC_POLICY: CompiledTrafficPolicy = deepFreeze({
  loadBalancer: DEFAULT_COMPILED_LOAD_BALANCER,
  connectionPool: DEFAULT_CONNECTION_POOL,
  outlierDetection: undefined,
  tls: undefined,
  retryBudget: undefined,
  extensions: {},
})

export interface PolicySource {
  readonly trafficPolicy: TrafficPolicy | undefined
  readonly subsetPolicies: ReadonlyMap<string, TrafficPolicy | undefined>
  readonly extensions: Readonly<Record<string, unknown>>
  readonly loadBalancerOverride: ExtensionLoadBalancer | undefined
  readonly peakEwmaDecayMs: number | undefined
}

/**
 * `policyFor(subset, port)` for one (merged) DestinationRule, memoised: each (subset, port) pair is
 * resolved and compiled once, then shared and frozen.
 */
export function createPolicyResolver(source: PolicySource): (subset: string | undefined, port: number | undefined) => CompiledTrafficPolicy {
  // Keyed by subset, then port, so that a lookup builds no key string (it runs for every call).
  const memo = new Map<string | undefined, Map<number | undefined, CompiledTrafficPolicy>>()
  return (subset, port) => {
    let bySubset = memo.get(subset)
    if (bySubset === undefined) {
      bySubset = new Map()
      memo.set(subset, bySubset)
    }
    let policy = bySubset.get(port)
    if (!policy) {
      const subsetPolicy = subset === undefined ? undefined : source.subsetPolicies.get(subset)
      policy = deepFreeze(compilePolicy(resolvePolicyBlocks(source.trafficPolicy, subsetPolicy, port), source))
      bySubset.set(port, policy)
    }
    return policy
  }
}

function compilePolicy(blocks: PolicyBlocks, source: PolicySource): CompiledTrafficPolicy {
  const loadBalancer = compileLoadBalancer(blocks.loadBalancer)
  return {
    loadBalancer: withExtensions(loadBalancer, source),
    connectionPool: compileConnectionPool(blocks.connectionPool),
    outlierDetection: compileOutlierDetection(blocks.outlierDetection),
    tls: blocks.tls ? structuredClone(blocks.tls) : undefined,
    retryBudget: compileRetryBudget(blocks.retryBudget),
    extensions: source.extensions,
  }
}

/**
 * `meshlet.io/load-balancer` names the algorithm outright, so it replaces `simple` and
 * `consistentHash` (locality and warmup still apply); `meshlet.io/peak-ewma` tunes PEAK_EWMA.
 */
function withExtensions(loadBalancer: CompiledLoadBalancer, source: PolicySource): CompiledLoadBalancer {
  const override = source.loadBalancerOverride
  if (override === undefined && source.peakEwmaDecayMs === undefined) return loadBalancer
  return {
    ...loadBalancer,
    ...(override === undefined ? {} : { algorithm: override, consistentHash: undefined }),
    peakEwmaDecayMs: source.peakEwmaDecayMs,
  }
}
