import { earlierDeadline, remainingMs } from './deadline.js'
import { parseGrpcTimeoutMs } from './grpc-timeout.js'

/** Headers that carry a deadline between services. */
export const DEADLINE_HEADERS = {
  /** Envoy: the time the sender expects the request to take, in ms (router filter doc). */
  expectedTimeout: 'x-envoy-expected-rq-timeout-ms',
  /** gRPC's own deadline header. */
  grpcTimeout: 'grpc-timeout',
} as const

/** Reads one request header by lower-case name. */
export type HeaderLookup = (name: string) => string | undefined

/** A non-negative integer of milliseconds, as Envoy parses timeout headers (absl::SimpleAtoi), else undefined. */
export function parseExpectedTimeoutMs(value: string): number | undefined {
  if (value.length === 0 || value.length > 15) return undefined
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 48 || code > 57) return undefined
  }
  return Number(value)
}

/** Whether a request is gRPC (Envoy's Grpc::Common::isGrpcRequestHeaders: content-type application/grpc...). */
export function isGrpcContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.startsWith('application/grpc')
}

/**
 * The deadline an inbound request brings: the smallest of the server's own route timeout,
 * `x-envoy-expected-rq-timeout-ms` and, for gRPC requests, `grpc-timeout`, counted from `nowMs`.
 * Malformed headers are ignored, as Envoy ignores them. Undefined when nothing bounds the request.
 */
export function inboundDeadline(header: HeaderLookup, nowMs: number, ownTimeoutMs?: number): number | undefined {
  let timeoutMs = ownTimeoutMs
  const expected = header(DEADLINE_HEADERS.expectedTimeout)
  if (expected !== undefined) timeoutMs = earlierDeadline(timeoutMs, parseExpectedTimeoutMs(expected))
  if (isGrpcContentType(header('content-type'))) {
    const grpc = header(DEADLINE_HEADERS.grpcTimeout)
    if (grpc !== undefined) timeoutMs = earlierDeadline(timeoutMs, parseGrpcTimeoutMs(grpc))
  }
  return timeoutMs === undefined ? undefined : nowMs + timeoutMs
}

/**
 * The timeout of an outbound call made while handling a request: the smaller of the call's own
 * route timeout and the time left before the inbound deadline. Undefined when neither bounds it.
 */
export function outboundTimeoutMs(routeTimeoutMs: number | undefined, deadlineMs: number | undefined, nowMs: number): number | undefined {
  const left = remainingMs(deadlineMs, nowMs)
  if (routeTimeoutMs === undefined) return deadlineMs === undefined ? undefined : left
  return Math.min(routeTimeoutMs, left)
}

/**
 * What to send upstream in `x-envoy-expected-rq-timeout-ms` (and `grpc-timeout`) for one try, as
 * Envoy's FilterUtility::setTimeoutHeaders computes it: the per-try timeout when there is one,
 * else the whole call's timeout, never more than the time left; 1 when no time is left (0 would
 * mean "no timeout"). Undefined when the try is unbounded.
 */
export function expectedTimeoutMs(perTryTimeoutMs: number | undefined, deadlineMs: number | undefined, nowMs: number): number | undefined {
  const left = deadlineMs === undefined ? undefined : Math.max(1, Math.ceil(deadlineMs - nowMs))
  const expected = earlierDeadline(perTryTimeoutMs, left)
  return expected === undefined ? undefined : Math.max(1, Math.ceil(expected))
}

