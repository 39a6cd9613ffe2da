import { systemClock } from '@meshlet/core'
import type { Clock } from '@meshlet/core'
import type { RetryBudgetConfig } from '../retry/budget.js'
import type { PoolLimitsConfig } from './policy.js'
import { ClusterResources } from './resources.js'

/** A destination cluster and the policies that bound it (from the route's target). */
export interface ClusterLimits {
  /** Envoy's cluster name, `outbound|port|subset|host`: stable across reloads. */
  readonly key: string
  readonly connectionPool: PoolLimitsConfig
  readonly retryBudget?: RetryBudgetConfig | undefined
  /**
   * HTTP/2: requests share connections, so tcp.maxConnections does not bound requests in flight
   * (only http2MaxRequests does); the transport queues streams waiting for connection room.
   */
  readonly multiplexed?: boolean | undefined
}

/**
 * The counters of every destination cluster of one mesh, shared by the pool and retry layers.
 * Entries are keyed by cluster name and survive reloads: new limits apply to the counters already
 * there (checked by object identity, so a compiled, frozen policy costs one comparison per call).
 */
export class ClusterResourceRegistry {
  readonly #clock: Clock
  readonly #clusters = new Map<string, ClusterResources>()

  constructor(clock: Clock = systemClock) {
    this.#clock = clock
  }

  resourcesFor(cluster: ClusterLimits): ClusterResources {
    let resources = this.#clusters.get(cluster.key)
    if (resources === undefined) {
      resources = new ClusterResources(cluster.key, cluster.connectionPool, cluster.retryBudget, this.#clock, cluster.multiplexed === true)
      this.#clusters.set(cluster.key, resources)
    } else if (resources.limits !== cluster.connectionPool || resources.retryBudget !== cluster.retryBudget || resources.multiplexed !== (cluster.multiplexed === true)) {
      resources.configure(cluster.connectionPool, cluster.retryBudget, cluster.multiplexed === true)
    }
    return resources
  }

  /** The clusters that have state here. */
  keys(): IterableIterator<string> {
    return this.#clusters.keys()
  }

  get(key: string): ClusterResources | undefined {
    return this.#clusters.get(key)
  }

  get size(): number {
    return this.#clusters.size
  }

  /** Forgets idle clusters not in `liveKeys` (after a reload dropped them); busy ones stay until their calls end. */
  retain(liveKeys: ReadonlySet<string>): void {
    for (const [key, resources] of this.#clusters) {
      if (liveKeys.has(key) || resources.activeRequests > 0 || resources.pendingRequests > 0 || resources.activeRetries > 0) continue
      this.#clusters.delete(key)
    }
  }
}
