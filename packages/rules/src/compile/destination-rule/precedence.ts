import type { ClientTLSSettings, ConnectionPoolSettings, LoadBalancerSettings, OutlierDetection, TrafficPolicy } from '../../spec/destination-rule.js'

/** The blocks of a traffic policy that take part in Istio's precedence rules. */
export interface PolicyBlocks {
  readonly loadBalancer?: LoadBalancerSettings | undefined
  readonly connectionPool?: ConnectionPoolSettings | undefined
  readonly outlierDetection?: OutlierDetection | undefined
  readonly tls?: ClientTLSSettings | undefined
  readonly retryBudget?: TrafficPolicy['retryBudget'] | undefined
}

/**
 * A policy as seen from one port (`istio:pilot/pkg/networking/util/util.go` GetPortLevelTrafficPolicy):
 * a matching portLevelSettings entry replaces the load balancer, connection pool, outlier detection
 * and TLS wholesale, with no inheritance from the top level. retryBudget is not a port-level field,
 * so it is kept.
 */
function atPort(policy: TrafficPolicy | undefined, port: number | undefined): { blocks: PolicyBlocks | undefined; portLevel: boolean } {
  if (!policy) return { blocks: undefined, portLevel: false }
  const entry = port === undefined ? undefined : policy.portLevelSettings?.find((setting) => setting.port?.number === port)
  if (!entry) return { blocks: policy, portLevel: false }
  return {
    blocks: {
      loadBalancer: entry.loadBalancer,
      connectionPool: entry.connectionPool,
      outlierDetection: entry.outlierDetection,
      tls: entry.tls,
      retryBudget: policy.retryBudget,
    },
    portLevel: true,
  }
}

/**
 * Istio's MergeSubsetTrafficPolicy (`util.go`, reference §11): start from the DR policy at the port;
 * each block the subset sets replaces the whole block; when the subset has a port-level entry for
 * the port, all four blocks come from it, even unset ones.
 */
export function resolvePolicyBlocks(topLevel: TrafficPolicy | undefined, subsetPolicy: TrafficPolicy | undefined, port: number | undefined): PolicyBlocks {
  const original = atPort(topLevel, port).blocks
  if (!subsetPolicy) return original ?? {}
  const subset = atPort(subsetPolicy, port)
  if (!original) return subset.blocks ?? {}
  const override = subset.blocks ?? {}
  const take = <K extends keyof PolicyBlocks>(key: K): PolicyBlocks[K] => (override[key] !== undefined || subset.portLevel ? override[key] : original[key])
  return {
    loadBalancer: take('loadBalancer'),
    connectionPool: take('connectionPool'),
    outlierDetection: take('outlierDetection'),
    tls: take('tls'),
    retryBudget: override.retryBudget ?? original.retryBudget,
  }
}
