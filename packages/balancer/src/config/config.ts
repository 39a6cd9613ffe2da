/**
 * What a balancer is told. The shapes are structurally compatible with the compiled snapshot of
 * @meshlet/rules (`CompiledLoadBalancer`, `CompiledConsistentHash`, `CompiledLocalitySetting`) so the
 * data plane can pass those objects as they are, while this package depends on @meshlet/core only.
 */
import type { Clock, Random } from '@meshlet/core'

/** Istio's `simple` values plus consistent hash and meshlet's PEAK_EWMA (`meshlet.io/load-balancer`). */
export type BalancerAlgorithm =
  | 'ROUND_ROBIN'
  | 'RANDOM'
  | 'LEAST_REQUEST'
  /** Deprecated Istio alias of LEAST_REQUEST. */
  | 'LEAST_CONN'
  | 'PASSTHROUGH'
  | 'CONSISTENT_HASH'
  | 'PEAK_EWMA'

export type HashKeyConfig =
  | { readonly kind: 'header'; readonly name: string }
  /** `ttlMs` set: generate the cookie when it is absent (0 = session cookie). */
  | { readonly kind: 'cookie'; readonly name: string; readonly path?: string | undefined; readonly ttlMs?: number | undefined }
  | { readonly kind: 'sourceIp' }
  | { readonly kind: 'queryParameter'; readonly name: string }

export type HashAlgorithmConfig =
  | { readonly kind: 'ringHash'; readonly minimumRingSize?: number | undefined }
  | { readonly kind: 'maglev'; readonly tableSize?: number | undefined }

export interface ConsistentHashConfig {
  readonly key: HashKeyConfig
  /** Ring hash with 1024 minimum entries when absent (Istio's default). */
  readonly algorithm?: HashAlgorithmConfig | undefined
}

/** Istio `localityLbSetting`, with `distribute`/`failover` already validated. */
export interface LocalityConfig {
  /** false turns locality-aware balancing off for this destination. */
  readonly enabled?: boolean | undefined
  readonly distribute?: ReadonlyArray<{ readonly from: string; readonly to: Readonly<Record<string, number>> }> | undefined
  readonly failover?: ReadonlyArray<{ readonly from: string; readonly to: string }> | undefined
  /** Label keys, or `key=value` to compare against a fixed value rather than this workload's label. */
  readonly failoverPriority?: readonly string[] | undefined
}

/** Istio `warmup` (or `warmupDurationSecs` with the defaults below), Envoy slow start. */
export interface WarmupConfig {
  readonly durationMs: number
  /** 0..100; Istio's default is 10. */
  readonly minimumPercent?: number | undefined
  /** > 0; 1.0 is a linear ramp. */
  readonly aggression?: number | undefined
}

/** One destination's load-balancer policy (the `CompiledLoadBalancer` of a cluster). */
export interface BalancerConfig {
  readonly algorithm: BalancerAlgorithm
  readonly consistentHash?: ConsistentHashConfig | undefined
  readonly locality?: LocalityConfig | undefined
  readonly warmup?: WarmupConfig | undefined
  /** Decay of the PEAK_EWMA latency average for this destination (`meshlet.io/peak-ewma`). */
  readonly peakEwmaDecayMs?: number | undefined
}

/** Knobs that do not come from Istio's schema, and the world the balancer lives in. */
export interface BalancerOptions<E = unknown> {
  readonly clock?: Clock
  readonly random?: Random
  /** This workload's locality, `region/zone/subzone` (the meshlet `locality` option or ISTIO_META_... env). */
  readonly localLocality?: string | undefined
  /** This workload's labels, for `failoverPriority`. */
  readonly localLabels?: Readonly<Record<string, string>> | undefined
  /**
   * Whether the destination has `outlierDetection`. Istio applies locality failover priorities only
   * then (without it Envoy would never leave the first priority).
   */
  readonly outlierDetectionEnabled?: boolean | undefined
  /**
   * Envoy healthy_panic_threshold (Istio `minHealthPercent`). Istio's default 0 never panics: when
   * every endpoint is ejected `pick` returns undefined and the data plane answers 503.
   */
  readonly panicThresholdPercent?: number | undefined
  readonly leastRequest?: { readonly activeRequestBias?: number | undefined; readonly choiceCount?: number | undefined } | undefined
  readonly peakEwma?: { readonly decayMs?: number | undefined; readonly defaultRttMs?: number | undefined } | undefined
  /** Picks made when a host was already tried, before accepting a repeat (Envoy host_selection_retry_max_attempts). */
  readonly hostSelectionRetryMaxAttempts?: number | undefined
  /** Identity of an endpoint across updates; defaults to `address:port`. */
  readonly endpointKey?: ((endpoint: E) => string) | undefined
  /**
   * Whether endpoints given at creation start in slow start. false (the default): they were already
   * serving before this process started, only later additions ramp up.
   */
  readonly warmupInitialEndpoints?: boolean | undefined
}
