import type { MeshSnapshot } from '@meshlet/rules'

/** What a cluster key (`outbound|<port>|<subset>|<host>`, router/cluster-key.ts) names. */
interface ClusterName {
  readonly port: number | undefined
  readonly subset: string | undefined
  readonly host: string
}

function parseClusterKey(key: string): ClusterName | undefined {
  const parts = key.split('|')
  if (parts.length !== 4 || parts[0] !== 'outbound') return undefined
  const port = Number(parts[1])
  return { port: Number.isInteger(port) && port > 0 ? port : undefined, subset: parts[2] === '' ? undefined : parts[2], host: parts[3]! }
}

/**
 * The keys among `keys` whose cluster still has per-cluster resilience state to keep under the new
 * rules: its DestinationRule (and subset) still exist and its resolved policy still has outlier
 * detection, a meshlet breaker, connection pool limits or a retry budget. Every such policy comes
 * from a DestinationRule, so a cluster whose rule or subset was dropped keeps nothing; Envoy
 * likewise removes a cluster that is no longer in the CDS update, with its outlier detector.
 */
export function liveClusterKeys(snapshot: MeshSnapshot, keys: Iterable<string>): Set<string> {
  const live = new Set<string>()
  for (const key of keys) {
    const name = parseClusterKey(key)
    if (name === undefined) continue
    const rule = snapshot.lookupDestinationRule(name.host)
    if (rule === undefined) continue
    if (name.subset !== undefined && !rule.subsets.some((subset) => subset.name === name.subset)) continue
    const policy = snapshot.trafficPolicyFor(name.host, name.subset, name.port)
    if (hasClusterState(policy)) live.add(key)
  }
  return live
}

/** Istio's threshold for "not set" on every circuit breaker (cluster_traffic_policy.go). */
const UNLIMITED = 2 ** 32 - 1

function hasClusterState(policy: ReturnType<MeshSnapshot['trafficPolicyFor']>): boolean {
  if (policy.outlierDetection !== undefined || policy.retryBudget !== undefined) return true
  if (policy.extensions.outlierDetection !== undefined || policy.extensions.circuitBreaker !== undefined) return true
  const pool = policy.connectionPool
  return [pool.maxConnections, pool.http1MaxPendingRequests, pool.http2MaxRequests, pool.maxRetries].some((limit) => limit > 0 && limit < UNLIMITED)
}
