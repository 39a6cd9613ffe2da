import type { ClusterView } from '../contract.js'

/**
 * /clusters as text, in the shape of Envoy's admin `/clusters`: one `cluster::field::value` line per
 * cluster fact and one `cluster::address:port::field::value` line per endpoint fact, with Envoy's
 * field names where Envoy has one (`rq_active`, `health_flags`, `weight`, `region`, `zone`,
 * `sub_zone`, `priority`) and meshlet's own after them (`ejection_time_left_ms`, `load_cost`, ...).
 */
export function formatClustersText(views: readonly ClusterView[]): string {
  const lines: string[] = []
  for (const view of views) {
    const cluster = (field: string, value: string | number | boolean | undefined) => {
      if (value !== undefined) lines.push(`${view.name}::${field}::${value}`)
    }
    cluster('lb_policy', view.algorithm)
    cluster('panic', view.panic)
    cluster('rq_active', view.activeRequests)
    cluster('rq_pending_active', view.pendingRequests)
    cluster('outlier_detection', view.outlierDetection)
    cluster('circuit_breaker', view.circuitBreaker)
    for (const endpoint of view.endpoints) {
      const host = (field: string, value: string | number | undefined) => {
        if (value !== undefined) lines.push(`${view.name}::${endpoint.id}::${field}::${value}`)
      }
      const [region = '', zone = '', subZone = ''] = (endpoint.locality ?? '').split('/')
      host('rq_active', endpoint.activeRequests ?? 0)
      // Envoy writes `healthy`, or the failed checks with a leading slash.
      host('health_flags', endpoint.health === 'ejected' ? '/failed_outlier_check' : 'healthy')
      host('weight', endpoint.weight)
      host('region', region)
      host('zone', zone)
      host('sub_zone', subZone)
      host('priority', endpoint.priority)
      host('ejection_time_left_ms', endpoint.ejection?.remainingMs === undefined ? undefined : Math.round(endpoint.ejection.remainingMs))
      host('ejections', endpoint.ejection?.ejections)
      host('load_cost', endpoint.cost === undefined ? undefined : round(endpoint.cost))
      host('warmup_factor', endpoint.warmupFactor === undefined ? undefined : round(endpoint.warmupFactor))
      host('locality_weight', endpoint.localityWeight === undefined ? undefined : round(endpoint.localityWeight))
      host('labels', Object.entries(endpoint.labels).map(([key, value]) => `${key}=${value}`).join(','))
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1_000) / 1_000 : value
}
