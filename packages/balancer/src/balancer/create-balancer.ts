import { systemClock, systemRandom, type Clock, type OutcomeClass, type Random } from '@meshlet/core'
import type { BalancerAlgorithm, BalancerConfig, BalancerOptions } from '../config/config.js'
import { DEFAULT_ALGORITHM, DEFAULT_SELECTION } from '../config/defaults.js'
import { assertValidConfig } from '../config/validate.js'
import { hash53, randomHash53 } from '../consistent-hash/hash.js'
import { readHashKey } from '../consistent-hash/hash-key.js'
import { defaultEndpointKey, endpointWeight, type BalancerEndpoint } from '../endpoint/endpoint.js'
import { Host } from '../endpoint/host.js'
import type { LoadMetric } from '../load/load-metric.js'
import { parseLocality, type Locality } from '../locality/locality.js'
import type { PickerEnv, PickerFactory } from '../pickers/picker.js'
import { SlowStart } from '../warmup/slow-start.js'
import { strategyFor } from './algorithms.js'
import type { PickContext } from './context.js'
import type { BalancerState } from './describe.js'
import { describeView } from './describe.js'
import { buildTopology, localityKeyOf, type Topology } from './topology.js'
import { HealthView } from './view.js'

/** What the data plane calls: one balancer per destination cluster (host, subset, port). */
export interface Balancer<E> {
  /** The algorithm in effect (LEAST_REQUEST when the config named none). */
  readonly algorithm: BalancerAlgorithm
  /** PASSTHROUGH: never picks; the caller connects to the original destination itself. */
  readonly passthrough: boolean
  /** An endpoint for one try, or undefined when none can take it (the data plane answers 503). */
  pick(context?: PickContext<E>): E | undefined
  /** A call to `endpoint` started (after `pick`, once the try is sent). */
  onStart(endpoint: E): void
  /** That call ended after `latencyMs`; a failure outcome keeps peak-EWMA from rewarding fast errors. */
  onFinish(endpoint: E, latencyMs: number, outcome?: OutcomeClass): void
  /** Replaces the endpoint list; state (in-flight counts, latency, warmup) is kept for endpoints that stay. */
  setEndpoints(endpoints: readonly E[]): void
  /** Outlier detection ejected (true) or returned (false) an endpoint. */
  setEjected(endpoint: E, ejected: boolean): void
  /** A plain snapshot of priorities, localities and hosts (for explain, the simulator and tests). */
  describe(): BalancerState
}

export interface CustomStrategy {
  readonly picker: PickerFactory
  readonly load: LoadMetric
}

/**
 * Builds the balancer for one destination. `config` is the compiled `loadBalancer` of the cluster
 * (undefined = Istio's default, LEAST_REQUEST); `options.strategy` replaces the picker and load
 * metric the algorithm stands for, keeping locality, warmup, ejection and retry handling.
 */
export function createBalancer<E extends BalancerEndpoint>(
  config: BalancerConfig | undefined,
  endpoints: readonly E[] = [],
  options: BalancerOptions<E> & { readonly strategy?: CustomStrategy } = {},
): Balancer<E> {
  if (config !== undefined) assertValidConfig(config)
  const algorithm = normalizeAlgorithm(config?.algorithm ?? DEFAULT_ALGORITHM)
  const strategy = options.strategy ?? strategyFor(config, options as BalancerOptions<never>)
  if (strategy === undefined) return passthroughBalancer(algorithm)
  return new MeshBalancer(config, algorithm, strategy, endpoints, options)
}

function normalizeAlgorithm(algorithm: BalancerAlgorithm): BalancerAlgorithm {
  return algorithm === 'LEAST_CONN' ? 'LEAST_REQUEST' : algorithm
}

function passthroughBalancer<E>(algorithm: BalancerAlgorithm): Balancer<E> {
  return {
    algorithm,
    passthrough: true,
    pick: () => undefined,
    onStart: () => {},
    onFinish: () => {},
    setEndpoints: () => {},
    setEjected: () => {},
    describe: () => ({ algorithm, panic: false, levels: [] }),
  }
}

class MeshBalancer<E extends BalancerEndpoint> implements Balancer<E> {
  readonly passthrough = false
  private readonly clock: Clock
  private readonly random: Random
  private readonly env: PickerEnv
  private readonly keyOf: (endpoint: E) => string
  private readonly slowStart: SlowStart | undefined
  private readonly warmupRefreshMs: number
  private readonly maxReselections: number
  private readonly panicThresholdPercent: number
  private readonly local: Locality
  private readonly localLabels: Readonly<Record<string, string>>
  private byKey = new Map<string, Host<E>>()
  private byEndpoint = new Map<E, Host<E>>()
  private topology: Topology<E> = { levels: [], localityWeighted: false, hostCount: 0 }
  private view: HealthView<E> | undefined
  /** While hosts warm up, the view is rebuilt at this time so slow-start weights move. */
  private refreshAtMs = Infinity
  private initialized = false
  /** PickContext.nowMs during a pick. */
  private pickNowMs: number | undefined

  constructor(
    private readonly config: BalancerConfig | undefined,
    readonly algorithm: BalancerAlgorithm,
    private readonly strategy: CustomStrategy,
    endpoints: readonly E[],
    private readonly options: BalancerOptions<E>,
  ) {
    this.clock = options.clock ?? systemClock
    this.random = options.random ?? systemRandom
    this.keyOf = options.endpointKey ?? defaultEndpointKey
    const warmup = strategy.picker.supportsWarmup ? config?.warmup : undefined
    this.slowStart = warmup === undefined ? undefined : new SlowStart(warmup)
    this.warmupRefreshMs = warmup === undefined ? Infinity : Math.max(10, Math.min(1_000, warmup.durationMs / 20))
    this.maxReselections = options.hostSelectionRetryMaxAttempts ?? DEFAULT_SELECTION.hostSelectionRetryMaxAttempts
    this.panicThresholdPercent = options.panicThresholdPercent ?? DEFAULT_SELECTION.panicThresholdPercent
    this.local = parseLocality(options.localLocality)
    this.localLabels = options.localLabels ?? {}
    const clock = this.clock
    // A time the caller already read for this pick (PickContext.nowMs) saves a clock read.
    this.env = { random: this.random, now: () => this.pickNowMs ?? clock.now(), loadReadsClock: strategy.load.readsClock, slowStart: this.slowStart }
    this.setEndpoints(endpoints)
    this.initialized = true
  }

  pick(context?: PickContext<E>): E | undefined {
    const nowMs = context?.nowMs
    if (nowMs === undefined) return this.pickNow(context)
    this.pickNowMs = nowMs
    try {
      return this.pickNow(context)
    } finally {
      this.pickNowMs = undefined
    }
  }

  private pickNow(context: PickContext<E> | undefined): E | undefined {
    const view = this.currentView()
    if (view.empty) return undefined
    const usesHash = this.strategy.picker.usesHash
    let hash = 0
    if (usesHash) {
      const keyConfig = this.config?.consistentHash?.key
      const key = context === undefined || keyConfig === undefined ? undefined : readHashKey(keyConfig, context, this.random)
      hash = key === undefined ? randomHash53(this.random) : hash53(key)
    }
    const attempted = context?.attempted
    const avoidAttempted = !usesHash && context?.avoidAttempted !== false && attempted !== undefined && sizeOf(attempted) > 0
    if (!avoidAttempted) return (this.pickOnce(view, hash, usesHash) ?? this.scan(view, undefined))?.endpoint
    // Retry-aware selection: Envoy's previous_hosts predicate with host_selection_retry_max_attempts.
    let repeat: Host<E> | undefined
    for (let attempt = 0; attempt <= this.maxReselections; attempt++) {
      const host = this.pickOnce(view, hash, usesHash)
      if (host === undefined) break
      if (this.wasAttempted(host, attempted)) {
        repeat = host
        continue
      }
      return host.endpoint
    }
    return (this.scan(view, context, avoidAttempted) ?? repeat)?.endpoint
  }

  onStart(endpoint: E): void {
    const host = this.hostOf(endpoint)
    if (host !== undefined) host.active++
  }

  onFinish(endpoint: E, latencyMs: number, outcome: OutcomeClass = 'success'): void {
    const host = this.hostOf(endpoint)
    if (host === undefined) return
    if (host.active > 0) host.active--
    host.load.observe(this.strategy.load.readsClock ? this.clock.now() : 0, latencyMs, outcome !== 'success')
  }

  setEndpoints(endpoints: readonly E[]): void {
    const now = this.clock.now()
    const byKey = new Map<string, Host<E>>()
    const byEndpoint = new Map<E, Host<E>>()
    const hosts: Array<Host<E>> = []
    const warmNewHosts = this.slowStart !== undefined && (this.initialized || this.options.warmupInitialEndpoints === true)
    for (const endpoint of endpoints) {
      const key = this.keyOf(endpoint)
      if (byKey.has(key)) continue
      const locality = parseLocality(endpoint.locality)
      const labels = endpoint.labels ?? {}
      let host = this.byKey.get(key)
      if (host === undefined) {
        host = new Host(key, endpoint, endpointWeight(endpoint), locality, localityKeyOf(locality), labels, this.strategy.load.track(now))
        if (warmNewHosts) host.warmStartMs = now
      } else {
        host.endpoint = endpoint
        host.weight = endpointWeight(endpoint)
        host.locality = locality
        host.localityKey = localityKeyOf(locality)
        host.labels = labels
      }
      byKey.set(key, host)
      byEndpoint.set(endpoint, host)
      hosts.push(host)
    }
    this.byKey = byKey
    this.byEndpoint = byEndpoint
    this.topology = buildTopology(hosts, {
      locality: this.config?.locality,
      local: this.local,
      localLabels: this.localLabels,
      outlierDetectionEnabled: this.options.outlierDetectionEnabled === true,
    })
    this.view = undefined
  }

  setEjected(endpoint: E, ejected: boolean): void {
    const host = this.hostOf(endpoint)
    if (host === undefined) return
    if (host.ejected === ejected) return
    host.ejected = ejected
    this.view = undefined
  }

  describe(): BalancerState {
    return describeView(this.algorithm, this.currentView(), this.clock.now(), this.slowStart)
  }

  private currentView(): HealthView<E> {
    let view = this.view
    if (view !== undefined && (this.refreshAtMs === Infinity || this.env.now() < this.refreshAtMs)) return view
    view = new HealthView(this.topology, this.strategy.picker, this.env, this.panicThresholdPercent)
    this.view = view
    this.refreshAtMs = this.anyWarming() ? this.clock.now() + this.warmupRefreshMs : Infinity
    return view
  }

  private anyWarming(): boolean {
    const slowStart = this.slowStart
    if (slowStart === undefined) return false
    const now = this.clock.now()
    for (const host of this.byKey.values()) if (slowStart.isWarming(host, now)) return true
    return false
  }

  private pickOnce(view: HealthView<E>, hash: number, usesHash: boolean): Host<E> | undefined {
    const level = view.levels.length === 1 ? view.levels[0] : view.levelFor(usesHash ? hash % 100 : Math.floor(this.random() * 100))
    if (level === undefined) return undefined
    const group = view.groupFor(level, this.random)
    return group?.picker.pick(hash)
  }

  /**
   * Last resort after the pickers: the first usable host in priority order, preferring one not
   * tried yet. Reached when every pick hit an already-tried endpoint.
   */
  private scan(view: HealthView<E>, context: PickContext<E> | undefined, avoidAttempted = false): Host<E> | undefined {
    let tried: Host<E> | undefined
    for (const level of view.levels)
      for (const group of level.groups)
        for (const host of group.hosts) {
          if (avoidAttempted && this.wasAttempted(host, context!.attempted!)) {
            tried ??= host
            continue
          }
          return host
        }
    return tried
  }

  private wasAttempted(host: Host<E>, attempted: readonly E[] | ReadonlySet<E>): boolean {
    if (Array.isArray(attempted)) {
      for (const endpoint of attempted as readonly E[]) if (endpoint === host.endpoint || this.keyOf(endpoint) === host.key) return true
      return false
    }
    const set = attempted as ReadonlySet<E>
    if (set.has(host.endpoint)) return true
    for (const endpoint of set) if (this.keyOf(endpoint) === host.key) return true
    return false
  }

  private hostOf(endpoint: E): Host<E> | undefined {
    return this.byEndpoint.get(endpoint) ?? this.byKey.get(this.keyOf(endpoint))
  }
}

function sizeOf<E>(attempted: readonly E[] | ReadonlySet<E>): number {
  return Array.isArray(attempted) ? attempted.length : (attempted as ReadonlySet<E>).size
}
