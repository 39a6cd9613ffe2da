import { systemClock, systemRandom } from '@meshlet/core'
import type { Clock, EndpointResult, Random, TimerHandle, TypedEmitter } from '@meshlet/core'
import type { EjectionReason, OutlierEvents } from './events.js'
import { EndpointMonitor } from './monitor.js'
import { RATIO_ONLY_OUTLIER, maxEjectionTimeMs } from './policy.js'
import type { OutlierConfig, OutlierExtensionConfig } from './policy.js'
import { failurePercentageOutliers, successRateOutliers } from './ratio.js'
import type { RatedEndpoint } from './ratio.js'

export interface OutlierDetectorOptions {
  /** The destination cluster's name, for events. */
  readonly cluster: string
  /** The DestinationRule's outlierDetection; undefined when only the extension is set. */
  readonly config: OutlierConfig | undefined
  readonly extension?: OutlierExtensionConfig | undefined
  readonly clock?: Clock | undefined
  /** For enforcement percentages. */
  readonly random?: Random | undefined
  readonly events?: TypedEmitter<OutlierEvents> | undefined
  /**
   * Told of every ejection and return as it happens: the internal channel the balancer's host set
   * follows (Envoy's addChangedStateCb). Unlike the public events, a user cannot remove it.
   */
  readonly onEjectionChange?: EjectionListener | undefined
}

/** An endpoint of a cluster left (ejected true) or rejoined (false) the hosts the balancer may pick. */
export type EjectionListener = (cluster: string, endpoint: string, ejected: boolean) => void

/** One endpoint's saved state (see state/). */
export interface EndpointOutlierState {
  readonly ejected: boolean
  /** Time left before an ejected endpoint may return. */
  readonly ejectionRemainingMs: number | undefined
  readonly backoff: number
  readonly ejections: number
}

/**
 * Envoy's outlier detection for one destination cluster (envoy docs arch_overview/upstream/outlier,
 * source/common/upstream/outlier_detection_impl.cc; reference §14):
 * - every try's result is recorded per endpoint; consecutive 5xx, consecutive gateway errors
 *   (502/503/504) and, in split mode, consecutive locally originated failures eject the endpoint
 *   inline the moment a threshold is reached; without split mode, connect failures and resets
 *   count as 503 and timeouts as 504;
 * - an endpoint is ejected only while ejected endpoints stay within maxEjectionPercent, though one
 *   may always be ejected;
 * - it stays out base ejection time × the times it was ejected in a row, capped at 300 s, and
 *   returns at the first interval sweep after that; each sweep in which a returned endpoint stays
 *   in lowers the multiplier by one;
 * - with `meshlet.io/outlier-detection`, each sweep also runs success-rate and failure-percentage
 *   ejection over the last interval's counts.
 * The balancer asks `admits(endpoint)`: false for an ejected endpoint unless the cluster is in
 * panic (healthy share below minHealthPercent, 0 % by Istio's default, so never).
 */
export class OutlierDetector {
  readonly cluster: string
  readonly #clock: Clock
  readonly #random: Random
  readonly #events: TypedEmitter<OutlierEvents> | undefined
  readonly #onEjectionChange: EjectionListener | undefined
  #config: OutlierConfig
  #given: OutlierConfig | undefined
  #extension: OutlierExtensionConfig | undefined
  #intervalMs: number
  readonly #monitors = new Map<string, EndpointMonitor>()
  #ejected = 0
  #timer: TimerHandle | undefined
  #closed = false

  constructor(options: OutlierDetectorOptions) {
    this.cluster = options.cluster
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? systemRandom
    this.#events = options.events
    this.#onEjectionChange = options.onEjectionChange
    this.#config = options.config ?? RATIO_ONLY_OUTLIER
    this.#given = options.config
    this.#extension = options.extension
    this.#intervalMs = this.#chooseInterval(options.config)
    this.#arm()
  }

  /** The rules in force (RATIO_ONLY_OUTLIER when only the extension is set). */
  get config(): OutlierConfig {
    return this.#config
  }

  /** The DestinationRule's own outlierDetection, as given. */
  get givenConfig(): OutlierConfig | undefined {
    return this.#given
  }

  get extension(): OutlierExtensionConfig | undefined {
    return this.#extension
  }

  /** Endpoints known (synced or seen). */
  get endpointCount(): number {
    return this.#monitors.size
  }

  get ejectedCount(): number {
    return this.#ejected
  }

  /** Applies a reloaded policy; endpoint state carries over. */
  configure(config: OutlierConfig | undefined, extension: OutlierExtensionConfig | undefined): void {
    this.#config = config ?? RATIO_ONLY_OUTLIER
    this.#given = config
    this.#extension = extension
    const intervalMs = this.#chooseInterval(config)
    if (intervalMs !== this.#intervalMs) {
      this.#intervalMs = intervalMs
      this.#arm()
    }
  }

  /** Makes the known endpoints exactly `ids` (the cluster's current endpoints): new ones join, gone ones leave. */
  syncEndpoints(ids: Iterable<string>): void {
    const keep = new Set(ids)
    for (const id of keep) if (!this.#monitors.has(id)) this.#monitors.set(id, new EndpointMonitor(id))
    for (const [id, monitor] of this.#monitors) {
      if (keep.has(id)) continue
      if (monitor.ejected) this.#ejected--
      this.#monitors.delete(id)
    }
  }

  /** Records what one try charged `endpoint` with (the try's verdict); true when it ejected the endpoint. */
  record(endpoint: string, result: EndpointResult): boolean {
    if (result.kind === 'ignore' || this.#closed) return false
    const monitor = this.#monitorFor(endpoint)
    const wasEjected = monitor.ejected
    const split = this.#config.splitExternalLocalOriginErrors
    if (result.kind === 'http') {
      if (split) monitor.consecutiveLocalOrigin = 0 // the connection worked
      this.#putHttpCode(monitor, result.code)
    } else if (!split) {
      this.#putHttpCode(monitor, result.timeout ? 504 : 503)
    } else if (reached(++monitor.consecutiveLocalOrigin, this.#config.consecutiveLocalOriginFailures)) {
      this.#onConsecutiveErrors(monitor, 'consecutive-local-origin-failures')
    }
    return monitor.ejected && !wasEjected
  }

  isEjected(endpoint: string): boolean {
    return this.#monitors.get(endpoint)?.ejected === true
  }

  /** The endpoints out now. */
  ejectedEndpoints(): string[] {
    const ejected: string[] = []
    for (const monitor of this.#monitors.values()) if (monitor.ejected) ejected.push(monitor.id)
    return ejected
  }

  /** Healthy endpoints are below minHealthPercent: the balancer uses all of them again (Envoy's panic mode). */
  inPanic(): boolean {
    const hosts = this.#monitors.size
    const threshold = this.#config.minHealthPercent
    return threshold > 0 && hosts > 0 && (100 * (hosts - this.#ejected)) / hosts < threshold
  }

  /** Whether the balancer may pick `endpoint`. */
  admits(endpoint: string): boolean {
    return !this.isEjected(endpoint) || this.inPanic()
  }

  /** The interval work (normally run by the detector's own timer): returns endpoints, runs ratio checks, lowers multipliers. */
  sweep(): void {
    const now = this.#clock.now()
    const config = this.#config
    for (const monitor of this.#monitors.values()) {
      if (monitor.ejected) {
        const ejectionMs = Math.min(config.baseEjectionTimeMs * monitor.backoff, maxEjectionTimeMs(config))
        if (now - monitor.lastEjectionMs! >= ejectionMs) this.#uneject(monitor, now)
      }
      monitor.rotate()
    }
    this.#ratioEjections()
    for (const monitor of this.#monitors.values()) {
      if (!monitor.ejected && monitor.lastUnejectionMs !== undefined && now - monitor.lastUnejectionMs >= this.#intervalMs && monitor.backoff > 0) {
        monitor.backoff--
      }
    }
  }

  /** Stops the interval timer; the detector records nothing more. */
  close(): void {
    this.#closed = true
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** The state worth keeping across a restart: ejected endpoints and raised multipliers. */
  exportState(): Record<string, EndpointOutlierState> {
    const now = this.#clock.now()
    const state: Record<string, EndpointOutlierState> = {}
    for (const monitor of this.#monitors.values()) {
      if (!monitor.ejected && monitor.backoff === 0) continue
      state[monitor.id] = {
        ejected: monitor.ejected,
        ejectionRemainingMs: monitor.ejected ? Math.max(0, this.#ejectionMs(monitor) - (now - monitor.lastEjectionMs!)) : undefined,
        backoff: monitor.backoff,
        ejections: monitor.ejections,
      }
    }
    return state
  }

  /** Restores exported state; `elapsedMs` (time since it was exported) is taken off remaining ejections. */
  restoreState(state: Readonly<Record<string, EndpointOutlierState>>, elapsedMs = 0): void {
    const now = this.#clock.now()
    for (const [id, saved] of Object.entries(state)) {
      const monitor = this.#monitorFor(id)
      monitor.backoff = saved.backoff
      monitor.ejections = saved.ejections
      const remaining = (saved.ejectionRemainingMs ?? 0) - elapsedMs
      if (saved.ejected && remaining > 0) {
        if (!monitor.ejected) this.#ejected++
        monitor.ejected = true
        monitor.lastEjectionMs = now - (this.#ejectionMs(monitor) - remaining)
        this.#onEjectionChange?.(this.cluster, id, true)
      } else if (saved.ejected) {
        // Its time ran out while the process was down: it is back, and counts as just returned.
        monitor.lastUnejectionMs = now
      }
    }
  }

  #putHttpCode(monitor: EndpointMonitor, code: number): void {
    const config = this.#config
    monitor.current.total++
    if (code >= 500 && code <= 599) {
      if (code >= 502 && code <= 504) {
        if (reached(++monitor.consecutiveGateway, config.consecutiveGatewayErrors)) this.#onConsecutiveErrors(monitor, 'consecutive-gateway-errors')
      } else {
        monitor.consecutiveGateway = 0
      }
      if (reached(++monitor.consecutive5xx, config.consecutive5xxErrors)) this.#onConsecutiveErrors(monitor, 'consecutive-5xx')
      return
    }
    monitor.current.success++
    monitor.consecutive5xx = 0
    monitor.consecutiveGateway = 0
  }

  #onConsecutiveErrors(monitor: EndpointMonitor, reason: EjectionReason): void {
    // Envoy ignores an endpoint already out, and otherwise restarts the counter that fired
    // whether or not the ejection was allowed (DetectorImpl::onConsecutiveErrorWorker).
    if (monitor.ejected) return
    this.#eject(monitor, reason, 100)
    if (reason === 'consecutive-5xx') monitor.consecutive5xx = 0
    else if (reason === 'consecutive-gateway-errors') monitor.consecutiveGateway = 0
    else monitor.consecutiveLocalOrigin = 0
  }

  #eject(monitor: EndpointMonitor, reason: EjectionReason, enforcingPercent: number): void {
    const config = this.#config
    const hosts = this.#monitors.size
    const allowed = (100 * (this.#ejected + 1)) / hosts <= config.maxEjectionPercent || this.#ejected === 0
    if (!allowed) {
      if (this.#events !== undefined && this.#events.listenerCount('ejectionSkipped') > 0) {
        this.#events.emit('ejectionSkipped', { cluster: this.cluster, endpoint: monitor.id, reason, ejectedEndpoints: this.#ejected })
      }
      return
    }
    if (enforcingPercent < 100 && this.#random() * 100 >= enforcingPercent) return
    monitor.ejected = true
    monitor.ejections++
    monitor.lastEjectionMs = this.#clock.now()
    this.#ejected++
    const maxMs = maxEjectionTimeMs(config)
    if (monitor.backoff * config.baseEjectionTimeMs < maxMs + config.baseEjectionTimeMs) monitor.backoff++
    this.#onEjectionChange?.(this.cluster, monitor.id, true)
    if (this.#events !== undefined && this.#events.listenerCount('endpointEjected') > 0) {
      this.#events.emit('endpointEjected', {
        cluster: this.cluster,
        endpoint: monitor.id,
        reason,
        ejectionTimeMs: this.#ejectionMs(monitor),
        ejections: monitor.ejections,
        ejectedEndpoints: this.#ejected,
      })
    }
  }

  #uneject(monitor: EndpointMonitor, now: number): void {
    monitor.ejected = false
    this.#ejected--
    // Fresh counters, so a few errors right after returning do not re-eject it.
    monitor.resetConsecutive()
    monitor.lastUnejectionMs = now
    this.#onEjectionChange?.(this.cluster, monitor.id, false)
    if (this.#events !== undefined && this.#events.listenerCount('endpointReturned') > 0) {
      this.#events.emit('endpointReturned', { cluster: this.cluster, endpoint: monitor.id, ejectedForMs: now - monitor.lastEjectionMs! })
    }
  }

  #ratioEjections(): void {
    const extension = this.#extension
    if (extension === undefined || (extension.successRate === undefined && extension.failurePercentage === undefined)) return
    const candidates: RatedEndpoint[] = []
    for (const monitor of this.#monitors.values()) {
      if (monitor.ejected || monitor.previous.total === 0) continue
      candidates.push({ monitor, successRate: (100 * monitor.previous.success) / monitor.previous.total })
    }
    if (extension.successRate !== undefined) {
      for (const outlier of successRateOutliers(candidates, extension.successRate)) {
        if (!outlier.monitor.ejected) this.#eject(outlier.monitor, 'success-rate', extension.successRate.enforcingPercent)
      }
    }
    if (extension.failurePercentage !== undefined) {
      for (const outlier of failurePercentageOutliers(candidates, extension.failurePercentage)) {
        if (!outlier.monitor.ejected) this.#eject(outlier.monitor, 'failure-percentage', extension.failurePercentage.enforcingPercent)
      }
    }
  }

  #ejectionMs(monitor: EndpointMonitor): number {
    return Math.min(this.#config.baseEjectionTimeMs * monitor.backoff, maxEjectionTimeMs(this.#config))
  }

  #monitorFor(id: string): EndpointMonitor {
    let monitor = this.#monitors.get(id)
    if (monitor === undefined) {
      monitor = new EndpointMonitor(id)
      this.#monitors.set(id, monitor)
    }
    return monitor
  }

  #chooseInterval(config: OutlierConfig | undefined): number {
    return config?.intervalMs ?? this.#extension?.intervalMs ?? RATIO_ONLY_OUTLIER.intervalMs
  }

  #arm(): void {
    if (this.#closed) return
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    const timer = this.#clock.setTimeout(() => {
      this.#timer = undefined
      this.sweep()
      this.#arm()
    }, this.#intervalMs)
    timer.unref?.()
    this.#timer = timer
  }
}

/**
 * Whether a consecutive-error count has reached its threshold (0 disables the check). Envoy tests
 * equality, but a changed cluster starts its counters afresh there; here they carry over a reload,
 * so an endpoint that already failed more often than a lowered threshold is ejected at its next
 * error rather than never.
 */
function reached(count: number, threshold: number): boolean {
  return threshold > 0 && count >= threshold
}
