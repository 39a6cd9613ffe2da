import type { HostState, MeshPicker } from '@meshlet/balancer'
import type { ClusterGauges } from '@meshlet/otel'
import type { BreakerRegistry, ClusterResourceRegistry, OutlierRegistry } from '@meshlet/resilience'
import type { CompiledTrafficPolicy } from '@meshlet/rules'
import type { ClusterView, EndpointView } from './contract.js'

/** The data plane's registries the cluster views read (wiring/default-slots.ts makes them). */
export interface DataPlaneRegistries {
  readonly picker: MeshPicker<CompiledTrafficPolicy>
  readonly outliers: OutlierRegistry
  readonly clusters: ClusterResourceRegistry
  readonly breakers: BreakerRegistry
}

interface HostPlacement {
  readonly state: HostState
  readonly priority: number
  readonly priorityLoadPercent: number
  readonly localityWeight: number
}

/**
 * Every cluster the balancer has seen, sorted by name, with all its endpoints: health and time
 * left from outlier detection, in-flight requests, load cost, warmup, priority and locality weight
 * from the balancer's own description (which lists only endpoints it may pick).
 */
export function clusterViews(registries: DataPlaneRegistries): ClusterView[] {
  const views: ClusterView[] = []
  for (const name of [...registries.picker.clusterKeys()].sort()) {
    const balancer = registries.picker.balancerOf(name)
    if (balancer === undefined) continue
    const described = balancer.describe()
    const placements = new Map<string, HostPlacement>()
    described.levels.forEach((level, priority) => {
      for (const locality of level.localities) {
        for (const host of locality.hosts) placements.set(host.key, { state: host, priority, priorityLoadPercent: level.load, localityWeight: locality.effectiveWeight })
      }
    })
    const detector = registries.outliers.get(name)
    const ejections = detector?.exportState() ?? {}
    const endpoints: EndpointView[] = (registries.picker.endpointsOf(name) ?? []).map((endpoint) => {
      const placement = placements.get(endpoint.id)
      const ejected = registries.outliers.isEjected(name, endpoint.id)
      const saved = ejections[endpoint.id]
      return {
        id: endpoint.id,
        address: endpoint.address,
        port: endpoint.port,
        labels: endpoint.labels,
        locality: endpoint.locality,
        weight: endpoint.weight,
        health: ejected ? 'ejected' : 'healthy',
        ejection: ejected ? { remainingMs: saved?.ejectionRemainingMs, ejections: saved?.ejections ?? 1 } : undefined,
        activeRequests: placement?.state.active,
        cost: placement?.state.cost,
        warmupFactor: placement?.state.warmupFactor,
        priority: placement?.priority,
        priorityLoadPercent: placement?.priorityLoadPercent,
        localityWeight: placement?.localityWeight,
      }
    })
    const resources = registries.clusters.get(name)
    const { host, port, subset } = splitClusterName(name)
    views.push({
      name,
      host,
      port,
      subset,
      algorithm: described.algorithm,
      panic: described.panic,
      activeRequests: resources?.activeRequests ?? endpoints.reduce((sum, endpoint) => sum + (endpoint.activeRequests ?? 0), 0),
      pendingRequests: resources?.pendingRequests,
      outlierDetection: detector !== undefined,
      circuitBreaker: registries.breakers.get(name)?.state,
      endpoints,
    })
  }
  return views
}

/** The gauges of each cluster for /stats/prometheus and the OpenTelemetry export. */
export function clusterGauges(views: readonly ClusterView[]): ClusterGauges[] {
  return views.map((view) => {
    const ejected = view.endpoints.filter((endpoint) => endpoint.health === 'ejected').length
    return {
      cluster: view.name,
      activeRequests: view.activeRequests,
      pendingRequests: view.pendingRequests,
      ejectionsActive: view.outlierDetection ? ejected : undefined,
      membershipTotal: view.endpoints.length,
      membershipHealthy: view.endpoints.length - ejected,
    }
  })
}

/** `outbound|<port>|<subset>|<host>` (router/cluster-key.ts) split; another name is all host. */
export function splitClusterName(name: string): { readonly host: string; readonly port: number | undefined; readonly subset: string | undefined } {
  const parts = name.split('|')
  if (parts.length !== 4 || parts[0] !== 'outbound') return { host: name, port: undefined, subset: undefined }
  const port = Number(parts[1])
  return { host: parts[3]!, port: Number.isInteger(port) && port > 0 ? port : undefined, subset: parts[2] === '' ? undefined : parts[2] }
}
