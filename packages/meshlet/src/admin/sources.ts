import type { Clock, TypedEmitter } from '@meshlet/core'
import type { MeshMetrics } from '@meshlet/otel'
import type { MeshSnapshot } from '@meshlet/rules'
import type { MeshEvents } from '../mesh/events.js'
import { clusterGauges, clusterViews } from './cluster-views.js'
import type { DataPlaneRegistries } from './cluster-views.js'
import type { AdminSources, ClusterView } from './contract.js'
import type { GatewayView } from './render/gateway-view.js'
import { DEFAULT_ADMIN_OPTIONS } from './options.js'
import { RecentEvents } from './recent-events.js'

/** The parts of a running mesh the admin server reads. */
export interface MeshAdminParts {
  /** The mesh: its snapshot, clock and whether it is closing (the Mesh class fits). */
  readonly mesh: { readonly snapshot: MeshSnapshot; readonly closed: boolean; readonly clock: Clock }
  /** The mesh's typed events, listened to only while a server is open. */
  readonly events: TypedEmitter<MeshEvents>
  /** The data plane's registries; undefined before the stack is built. */
  readonly registries: () => DataPlaneRegistries | undefined
  readonly metrics: MeshMetrics
  /** Events kept for the page (DEFAULT_ADMIN_OPTIONS.recentEvents). */
  readonly maxEvents?: number | undefined
  /** The gateway view, when the mesh is a gateway's. */
  readonly gateway?: (() => GatewayView | undefined) | undefined
}

/**
 * AdminSources over today's mesh internals: the snapshot, the balancer's clusters with outlier and
 * pool state, the given metrics, and the mesh's typed events. While a server is open the metrics
 * also carry the cluster gauges (active requests, ejections, membership) read from the registries
 * at each scrape.
 */
export function meshAdminSources(parts: MeshAdminParts): AdminSources {
  const { mesh, metrics } = parts
  const recent = new RecentEvents(parts.events, mesh.clock, parts.maxEvents ?? DEFAULT_ADMIN_OPTIONS.recentEvents)
  const clusters = (): ClusterView[] => {
    const registries = parts.registries()
    return registries === undefined ? [] : clusterViews(registries)
  }
  return {
    snapshot: () => mesh.snapshot,
    clusters,
    metrics,
    recentEvents: () => recent.list(),
    ready: () => !mesh.closed,
    nowMs: () => mesh.clock.now(),
    gateway: () => parts.gateway?.(),
    open() {
      const stopEvents = recent.start()
      const removeGauges = metrics.clusters.addGaugeSource(() => clusterGauges(clusters()))
      return () => {
        stopEvents()
        removeGauges()
      }
    },
  }
}
