import type { CompiledRetryPolicy, NoAction } from '../compile/snapshot.js'
import { deepFreeze } from '../compile/freeze.js'
import { buildDefaultRetryPolicy } from '../compile/virtual-service/retry-policy.js'

/**
 * Istio's retry policy for a host with no VirtualService (`route.go` BuildDefaultHTTPOutboundRoute,
 * reference §6.4): 2 retries on connect-failure, refused-stream, unavailable and cancelled,
 * avoiding hosts already tried, 25 ms base backoff. There is no route timeout.
 */
export const defaultRetryPolicy: CompiledRetryPolicy = deepFreeze(buildDefaultRetryPolicy(true))

/** What the data plane does when a VirtualService matches the host but no route matches: 404 (Envoy `NR`). */
export const noRouteAction: NoAction = deepFreeze({ kind: 'none', reason: 'no route matched the request (Envoy answers 404, flag NR)' })
