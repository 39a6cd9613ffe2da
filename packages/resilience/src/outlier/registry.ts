import { systemClock, systemRandom } from '@meshlet/core'
import type { Clock, Random, TypedEmitter } from '@meshlet/core'
import { OutlierDetector } from './detector.js'
import type { EjectionListener, EndpointOutlierState } from './detector.js'
import type { OutlierEvents } from './events.js'
import type { OutlierConfig, OutlierExtensionConfig } from './policy.js'

/** Anything with a stable endpoint id (`address:port`), like core's MeshEndpoint. */
export interface EndpointLike {
  readonly id: string
}

/** A destination cluster and its outlier policies (from the route's target). */
export interface OutlierPolicy {
  /** Envoy's cluster name, `outbound|port|subset|host`. */
  readonly key: string
  readonly outlierDetection: OutlierConfig | undefined
  /** `meshlet.io/outlier-detection`. */
  readonly extension?: OutlierExtensionConfig | undefined
  /**
   * The cluster's endpoints, so maxEjectionPercent and the panic threshold count every endpoint,
   * not only those that had traffic; synced whenever the list object changes.
   */
  readonly endpoints?: readonly EndpointLike[] | undefined
}

export interface OutlierRegistryOptions {
  readonly clock?: Clock | undefined
  readonly random?: Random | undefined
  readonly events?: TypedEmitter<OutlierEvents> | undefined
  /** The internal channel of ejections and returns (the balancer follows it); see OutlierDetectorOptions. */
  readonly onEjectionChange?: EjectionListener | undefined
}

/**
 * The outlier detectors of one mesh, one per destination cluster that has outlier detection. A
 * detector is made on the cluster's first call, reconfigured when its policy object changes (a
 * reload) and closed when the policy goes away. The balancer learns of ejections through
 * `onEjectionChange` as they happen, and of those already in force (restored state included) with
 * `ejectedEndpoints` when it first builds a cluster.
 */
export class OutlierRegistry {
  readonly #clock: Clock
  readonly #random: Random
  readonly #events: TypedEmitter<OutlierEvents> | undefined
  readonly #onEjectionChange: EjectionListener | undefined
  readonly #detectors = new Map<string, OutlierDetector>()
  /** The endpoint list each detector was last synced from. */
  readonly #syncedFrom = new WeakMap<OutlierDetector, readonly EndpointLike[]>()
  /** State restored before its cluster's detector existed, applied when it is made. */
  readonly #restored = new Map<string, { readonly endpoints: Readonly<Record<string, EndpointOutlierState>>; readonly atMs: number }>()

  constructor(options: OutlierRegistryOptions = {}) {
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? systemRandom
    this.#events = options.events
    this.#onEjectionChange = options.onEjectionChange
  }

  /** The detector for a cluster, made or updated for its policy; undefined when it has none. */
  detectorFor(policy: OutlierPolicy): OutlierDetector | undefined {
    let detector = this.#detectors.get(policy.key)
    if (policy.outlierDetection === undefined && policy.extension === undefined) {
      if (detector !== undefined) {
        detector.close()
        this.#detectors.delete(policy.key)
      }
      return undefined
    }
    if (detector === undefined) {
      detector = new OutlierDetector({
        cluster: policy.key,
        config: policy.outlierDetection,
        extension: policy.extension,
        clock: this.#clock,
        random: this.#random,
        events: this.#events,
        onEjectionChange: this.#onEjectionChange,
      })
      this.#detectors.set(policy.key, detector)
      const restored = this.#restored.get(policy.key)
      if (restored !== undefined) {
        this.#restored.delete(policy.key)
        detector.restoreState(restored.endpoints, this.#clock.now() - restored.atMs)
      }
    } else if (detector.givenConfig !== policy.outlierDetection || detector.extension !== policy.extension) {
      detector.configure(policy.outlierDetection, policy.extension)
    }
    const endpoints = policy.endpoints
    if (endpoints !== undefined && this.#syncedFrom.get(detector) !== endpoints) {
      this.#syncedFrom.set(detector, endpoints)
      detector.syncEndpoints(endpoints.map((endpoint) => endpoint.id))
    }
    return detector
  }

  /** The clusters that have state here. */
  keys(): IterableIterator<string> {
    return this.#detectors.keys()
  }

  get(cluster: string): OutlierDetector | undefined {
    return this.#detectors.get(cluster)
  }

  /**
   * Whether outlier detection has `endpoint` of `cluster` out (panic not applied). Restored state
   * counts before the cluster's detector exists, so a restarted process avoids an endpoint its
   * predecessor ejected from its very first call.
   */
  isEjected(cluster: string, endpoint: string): boolean {
    const detector = this.#detectors.get(cluster)
    if (detector !== undefined) return detector.isEjected(endpoint)
    const pending = this.#restored.get(cluster)?.endpoints[endpoint]
    if (pending === undefined || !pending.ejected) return false
    return (pending.ejectionRemainingMs ?? 0) > this.#clock.now() - this.#restored.get(cluster)!.atMs
  }

  /**
   * The endpoints of `cluster` out now, restored state included (the balancer builds a cluster before
   * the outlier layer makes its detector, so a restored ejection must hold from the very first call).
   */
  ejectedEndpoints(cluster: string): string[] {
    const detector = this.#detectors.get(cluster)
    if (detector !== undefined) return detector.ejectedEndpoints()
    const pending = this.#restored.get(cluster)
    if (pending === undefined) return []
    return Object.keys(pending.endpoints).filter((endpoint) => this.isEjected(cluster, endpoint))
  }

  /** State of every cluster with ejections or raised multipliers (see state/). */
  exportState(): Record<string, Record<string, EndpointOutlierState>> {
    const state: Record<string, Record<string, EndpointOutlierState>> = {}
    for (const [cluster, detector] of this.#detectors) {
      const endpoints = detector.exportState()
      if (Object.keys(endpoints).length > 0) state[cluster] = endpoints
    }
    for (const [cluster, pending] of this.#restored) {
      if (!(cluster in state)) state[cluster] = ageEndpoints(pending.endpoints, this.#clock.now() - pending.atMs)
    }
    return state
  }

  /** Restores exported state; `elapsedMs` is the time since it was exported. Clusters without a detector yet get it on their first call. */
  restoreState(state: Readonly<Record<string, Readonly<Record<string, EndpointOutlierState>>>>, elapsedMs = 0): void {
    for (const [cluster, endpoints] of Object.entries(state)) {
      const detector = this.#detectors.get(cluster)
      if (detector !== undefined) detector.restoreState(endpoints, elapsedMs)
      else this.#restored.set(cluster, { endpoints, atMs: this.#clock.now() - elapsedMs })
    }
  }

  /** Closes the detectors of clusters not in `liveKeys` (after a reload dropped them). */
  retain(liveKeys: ReadonlySet<string>): void {
    for (const [key, detector] of this.#detectors) {
      if (liveKeys.has(key)) continue
      detector.close()
      this.#detectors.delete(key)
    }
  }

  close(): void {
    for (const detector of this.#detectors.values()) detector.close()
    this.#detectors.clear()
  }
}

function ageEndpoints(endpoints: Readonly<Record<string, EndpointOutlierState>>, elapsedMs: number): Record<string, EndpointOutlierState> {
  const aged: Record<string, EndpointOutlierState> = {}
  for (const [id, saved] of Object.entries(endpoints)) {
    const remaining = saved.ejectionRemainingMs === undefined ? undefined : Math.max(0, saved.ejectionRemainingMs - elapsedMs)
    aged[id] = { ...saved, ejected: saved.ejected && remaining !== undefined && remaining > 0, ejectionRemainingMs: remaining }
  }
  return aged
}
