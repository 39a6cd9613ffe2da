import { isLimited } from '@meshlet/core'
import type { MeshSnapshot } from '@meshlet/rules'
import type { ClusterIdentity } from '../router/cluster-key.js'

/**
 * The clusters among `keys` whose per-cluster resilience state is worth keeping under the new
 * rules: their DestinationRule (and subset) still exist and their resolved policy still has outlier
 * detection, a meshlet breaker, connection pool limits or a retry budget. Every such policy comes
 * from a DestinationRule, so a cluster whose rule or subset was dropped keeps nothing; Envoy
 * likewise removes a cluster that is no longer in the CDS update, with its outlier detector.
 */
export function liveClusterKeys(snapshot: MeshSnapshot, keys: Iterable<string>, identityOf: (key: string) => ClusterIdentity | undefined): Set<string> {
  const live = new Set<string>()
  for (const key of keys) {
    const cluster = identityOf(key)
    if (cluster === undefined) continue
    const rule = snapshot.lookupDestinationRule(cluster.host)
    if (rule === undefined) continue
    if (cluster.subset !== undefined && !rule.subsets.some((subset) => subset.name === cluster.subset)) continue
    if (hasClusterState(snapshot.trafficPolicyFor(cluster.host, cluster.subset, cluster.port))) live.add(key)
  }
  return live
}

function hasClusterState(policy: ReturnType<MeshSnapshot['trafficPolicyFor']>): boolean {
  if (policy.outlierDetection !== undefined || policy.retryBudget !== undefined) return true
  if (policy.extensions.outlierDetection !== undefined || policy.extensions.circuitBreaker !== undefined) return true
  const pool = policy.connectionPool
  return isLimited(pool.maxConnections) || isLimited(pool.http1MaxPendingRequests) || isLimited(pool.http2MaxRequests) || isLimited(pool.maxRetries)
}
