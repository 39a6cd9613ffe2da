import type { ConsistentHashLB, LoadBalancerSettings, LocalityLoadBalancerSetting } from '../../spec/destination-rule.js'
import type { CompiledConsistentHash, CompiledLoadBalancer, CompiledLocalitySetting, LoadBalancerAlgorithm } from '../snapshot.js'
import { durationMs } from '../duration.js'

/**
 * Load-balancer defaults (reference §12): Istio's default algorithm is LEAST_REQUEST
 * (`loadbalancer.go` defaultLBAlgorithm); Envoy's ring hash minimum ring size is 1024 and maglev's
 * table size 65537; slow start ramps from 10 % with aggression 1.0 (linear).
 */
export const DEFAULT_LOAD_BALANCER = {
  algorithm: 'LEAST_REQUEST',
  ringHashMinimumRingSize: 1024,
  maglevTableSize: 65537,
  warmupMinimumPercent: 10,
  warmupAggression: 1,
} as const

export const DEFAULT_COMPILED_LOAD_BALANCER: CompiledLoadBalancer = {
  algorithm: DEFAULT_LOAD_BALANCER.algorithm,
  consistentHash: undefined,
  locality: undefined,
  warmup: undefined,
  peakEwmaDecayMs: undefined,
}

export function compileLoadBalancer(spec: LoadBalancerSettings | undefined): CompiledLoadBalancer {
  if (!spec) return DEFAULT_COMPILED_LOAD_BALANCER
  const consistentHash = spec.consistentHash ? compileConsistentHash(spec.consistentHash) : undefined
  return {
    algorithm: consistentHash ? 'CONSISTENT_HASH' : simpleAlgorithm(spec.simple),
    consistentHash,
    locality: spec.localityLbSetting ? compileLocality(spec.localityLbSetting) : undefined,
    warmup: compileWarmup(spec),
    peakEwmaDecayMs: undefined,
  }
}

function simpleAlgorithm(simple: LoadBalancerSettings['simple']): LoadBalancerAlgorithm {
  switch (simple) {
    case 'RANDOM':
    case 'ROUND_ROBIN':
    case 'PASSTHROUGH':
    case 'LEAST_REQUEST':
      return simple
    // LEAST_CONN is the deprecated name of LEAST_REQUEST; UNSPECIFIED and unset take the default.
    default:
      return DEFAULT_LOAD_BALANCER.algorithm
  }
}

function compileConsistentHash(spec: ConsistentHashLB): CompiledConsistentHash {
  const key: CompiledConsistentHash['key'] = spec.httpHeaderName
    ? { kind: 'header', name: spec.httpHeaderName.toLowerCase() }
    : spec.httpCookie
      ? { kind: 'cookie', name: spec.httpCookie.name, path: spec.httpCookie.path || undefined, ttlMs: durationMs(spec.httpCookie.ttl) }
      : spec.httpQueryParameterName
        ? { kind: 'queryParameter', name: spec.httpQueryParameterName }
        : { kind: 'sourceIp' }
  const algorithm: CompiledConsistentHash['algorithm'] = spec.maglev
    ? { kind: 'maglev', tableSize: spec.maglev.tableSize || DEFAULT_LOAD_BALANCER.maglevTableSize }
    : { kind: 'ringHash', minimumRingSize: spec.ringHash?.minimumRingSize || spec.minimumRingSize || DEFAULT_LOAD_BALANCER.ringHashMinimumRingSize }
  return { key, algorithm }
}

function compileLocality(spec: LocalityLoadBalancerSetting): CompiledLocalitySetting {
  return {
    // The mesh default turns locality load balancing on (reference §12).
    enabled: spec.enabled ?? true,
    distribute: (spec.distribute ?? []).map((entry) => ({ from: entry.from ?? '', to: { ...(entry.to ?? {}) } })),
    failover: (spec.failover ?? []).map((entry) => ({ from: entry.from ?? '', to: entry.to ?? '' })),
    failoverPriority: [...(spec.failoverPriority ?? [])],
  }
}

function compileWarmup(spec: LoadBalancerSettings): CompiledLoadBalancer['warmup'] {
  const warmup = spec.warmup
  const durationFromWarmup = durationMs(warmup?.duration)
  const durationMsValue = durationFromWarmup ?? durationMs(spec.warmupDurationSecs)
  if (!durationMsValue) return undefined
  return {
    durationMs: durationMsValue,
    minimumPercent: warmup?.minimumPercent ?? DEFAULT_LOAD_BALANCER.warmupMinimumPercent,
    aggression: warmup?.aggression ?? DEFAULT_LOAD_BALANCER.warmupAggression,
  }
}

