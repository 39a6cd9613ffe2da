/**
 * Every default of the balancer, each with the Istio or Envoy document it comes from.
 */

/** Istio `LoadBalancerSettings`: no `simple` and no `consistentHash` means LEAST_REQUEST
 * (istio pilot/pkg/networking/core/cluster_traffic_policy.go `defaultLBAlgorithm`). */
export const DEFAULT_ALGORITHM = 'LEAST_REQUEST' as const

/** Envoy LeastRequestLbConfig: choice_count 2 (P2C), active_request_bias 1.0
 * (envoy docs intro/arch_overview/upstream/load_balancing/load_balancers.rst "Weighted least request"). */
export const DEFAULT_LEAST_REQUEST = { choiceCount: 2, activeRequestBias: 1.0 } as const

/** Peak EWMA: decay 10 s (Finagle's default, kept by Envoy's contrib peak_ewma.proto `decay_time`),
 * default RTT 10 ms for endpoints never measured (Envoy contrib peak_ewma.proto `default_rtt`). */
export const DEFAULT_PEAK_EWMA = { decayMs: 10_000, defaultRttMs: 10 } as const

/** Ring hash: minimum_ring_size 1024, maximum_ring_size 8M (envoy cluster.proto RingHashLbConfig;
 * Istio passes 1024 when unset, reference §12). Maglev: table_size 65537, a prime (envoy cluster.proto
 * MaglevLbConfig; Istio requires a prime below 5000011). */
export const DEFAULT_CONSISTENT_HASH = { minimumRingSize: 1024, maximumRingSize: 8 * 1024 * 1024, maglevTableSize: 65_537, maglevMaxTableSize: 5_000_011 } as const

/** Envoy slow start: min_weight_percent 10, aggression 1.0; TimeFactor counts at least 1 s of the
 * window (envoy docs load_balancing/slow_start.rst; Istio `warmup` defaults in destination_rule.proto). */
export const DEFAULT_WARMUP = { minimumPercent: 10, aggression: 1.0, minimumElapsedMs: 1_000 } as const

/** Envoy overprovisioning factor 1.4 for priority and locality health (envoy docs
 * load_balancing/overprovisioning.rst, priority.rst, locality_weight.rst). */
export const DEFAULT_LOCALITY = { overprovisioningFactor: 1.4 } as const

/** Istio's default retry policy sets host_selection_retry_max_attempts 5 with the previous_hosts
 * predicate (istio pilot/pkg/networking/core/route/retry/retry.go); panic threshold 0 because Istio
 * maps `minHealthPercent` (default 0) to healthy_panic_threshold (reference §14). */
export const DEFAULT_SELECTION = { hostSelectionRetryMaxAttempts: 5, panicThresholdPercent: 0 } as const
