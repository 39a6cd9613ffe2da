import { isLimited } from '@meshlet/core'
import type { Classifier, MeshRequest } from '@meshlet/core'
import { defaultRetryPolicy } from '@meshlet/rules'
import type { CompiledRetryPolicy, CompiledTrafficPolicy } from '@meshlet/rules'
import { DEADLINE_HEADERS, classifierFor, isGrpcContentType, parseGrpcTimeoutMs } from '@meshlet/resilience'
import type { BreakerPolicy, ClusterLimits, OutlierPolicy } from '@meshlet/resilience'
import type { PolicyView } from '@meshlet/balancer'
import type { MeshCallContext } from '../call-context.js'

/**
 * What each resilience and balancer layer reads from a call: accessors from the compiled route and
 * DestinationRule policy the router put in the call's context to the shapes those packages
 * declare. Results are cached per compiled policy object, so a call allocates nothing here, and a
 * reload (new policy objects) swaps them wholesale.
 */

/** The route's retry policy; Istio's default for a host without VirtualService (reference §6.4). A shadow is never retried. */
export function retryPolicyOf(call: MeshCallContext): CompiledRetryPolicy | undefined {
  if (call.shadow) return undefined
  return call.route?.retries ?? defaultRetryPolicy
}

/**
 * The call's timeout: the route's `timeout`, and for a gRPC request its own `grpc-timeout` header,
 * capped by the route's timeout when it has one. Istio sets Envoy's `max_grpc_timeout` to the route
 * timeout, or to 0 (no cap) without one, so Envoy honours a client's grpc-timeout either way
 * (istio route.go setTimeout; envoy route_components.proto max_grpc_timeout). A malformed or zero
 * grpc-timeout is ignored, as Envoy ignores it.
 */
export function routeTimeoutOf(request: MeshRequest, call: MeshCallContext): number | undefined {
  const routeTimeoutMs = call.route?.timeoutMs
  const grpcTimeout = request.headers[DEADLINE_HEADERS.grpcTimeout]
  if (grpcTimeout === undefined || !isGrpcContentType(request.headers['content-type'])) return routeTimeoutMs
  const grpcTimeoutMs = parseGrpcTimeoutMs(grpcTimeout)
  if (grpcTimeoutMs === undefined || grpcTimeoutMs <= 0) return routeTimeoutMs
  return routeTimeoutMs === undefined ? grpcTimeoutMs : Math.min(routeTimeoutMs, grpcTimeoutMs)
}

export function perTryTimeoutOf(call: MeshCallContext): number | undefined {
  return call.route?.retries.perTryTimeoutMs
}

/**
 * The route's classifier for this call: its retry policy (Istio's default without a route) with
 * the cluster's outlier mode, compiled once per pair of policy objects.
 */
export function classifierOf(call: MeshCallContext): Classifier {
  return classifierFor(call.route?.retries ?? defaultRetryPolicy, call.target?.policy.outlierDetection)
}

const clusterLimits = new WeakMap<CompiledTrafficPolicy, Map<string, ClusterLimits | null>>()

/** The cluster's connection pool limits and retry budget, or undefined when nothing is limited (the common case costs nothing). */
export function clusterLimitsOf(call: MeshCallContext): ClusterLimits | undefined {
  const target = call.target
  if (target === undefined) return undefined
  const multiplexed = target.protocol === 'h2'
  // HTTP/2 targets get their own entry: connections do not bound their requests (ClusterLimits.multiplexed).
  return cached(clusterLimits, target.policy, multiplexed ? `h2|${target.key}` : target.key, () => {
    const pool = target.policy.connectionPool
    const limited = isLimited(pool.maxConnections) || isLimited(pool.http1MaxPendingRequests) || isLimited(pool.http2MaxRequests) || isLimited(pool.maxRetries)
    if (!limited && target.policy.retryBudget === undefined) return null
    return { key: target.key, connectionPool: pool, retryBudget: target.policy.retryBudget, multiplexed }
  })
}

const outlierPolicies = new WeakMap<CompiledTrafficPolicy, Map<string, OutlierPolicy | null>>()

/** The cluster's outlier detection (Istio block and/or meshlet.io/outlier-detection), or undefined. */
export function outlierPolicyOf(call: MeshCallContext): OutlierPolicy | undefined {
  const target = call.target
  if (target === undefined || target.passthrough) return undefined
  const build = (): OutlierPolicy | null => {
    const extension = target.policy.extensions.outlierDetection as OutlierPolicy['extension'] // validated by the rules package
    if (target.policy.outlierDetection === undefined && extension === undefined) return null
    // Every endpoint of the cluster, so maxEjectionPercent and the panic threshold count them all.
    return { key: target.key, outlierDetection: target.policy.outlierDetection, extension, endpoints: target.endpoints }
  }
  const policy = cached(outlierPolicies, target.policy, target.key, build)
  // The endpoint list changes without the policy (discovery, DNS): a new view then, so the registry resyncs.
  if (policy !== undefined && policy.endpoints !== target.endpoints) {
    const fresh = build()!
    outlierPolicies.get(target.policy)!.set(target.key, fresh)
    return fresh
  }
  return policy
}

const breakerPolicies = new WeakMap<CompiledTrafficPolicy, Map<string, BreakerPolicy | null>>()

/** The cluster's meshlet.io/circuit-breaker, or undefined. */
export function breakerPolicyOf(call: MeshCallContext): BreakerPolicy | undefined {
  const target = call.target
  if (target === undefined) return undefined
  return cached(breakerPolicies, target.policy, target.key, () => {
    const circuitBreaker = target.policy.extensions.circuitBreaker as BreakerPolicy['circuitBreaker'] // validated by the rules package
    return circuitBreaker === undefined ? null : { key: target.key, circuitBreaker }
  })
}

const policyViews = new WeakMap<CompiledTrafficPolicy, { avoiding: PolicyView; repeating: PolicyView }>()

/**
 * What the balancer reads: the algorithm, whether outlier detection gates locality failover (as in
 * Istio), the panic threshold, and whether the route's retries avoid endpoints already tried.
 */
export function balancerPolicyOf(policy: CompiledTrafficPolicy, call: MeshCallContext): PolicyView {
  let views = policyViews.get(policy)
  if (views === undefined) {
    const base = {
      loadBalancer: policy.loadBalancer,
      outlierDetectionEnabled: policy.outlierDetection !== undefined,
      panicThresholdPercent: policy.outlierDetection?.minHealthPercent,
    }
    views = { avoiding: { ...base, avoidPreviousHosts: true }, repeating: { ...base, avoidPreviousHosts: false } }
    policyViews.set(policy, views)
  }
  return call.route?.retries.avoidPreviousHosts === false ? views.repeating : views.avoiding
}

function cached<T extends object>(cache: WeakMap<CompiledTrafficPolicy, Map<string, T | null>>, policy: CompiledTrafficPolicy, key: string, build: () => T | null): T | undefined {
  let byKey = cache.get(policy)
  if (byKey === undefined) {
    byKey = new Map()
    cache.set(policy, byKey)
  }
  let value = byKey.get(key)
  if (value === undefined) {
    value = build()
    byKey.set(key, value)
  }
  return value ?? undefined
}
