import { GRPC_STATUS_CODES, responseHeader } from '@meshlet/core'
import type { ResponseOutcome } from '@meshlet/core'

/** gRPC status codes the retry policy names. */
export const GRPC_STATUS = {
  cancelled: GRPC_STATUS_CODES.CANCELLED,
  deadlineExceeded: GRPC_STATUS_CODES.DEADLINE_EXCEEDED,
  resourceExhausted: GRPC_STATUS_CODES.RESOURCE_EXHAUSTED,
  internal: GRPC_STATUS_CODES.INTERNAL,
  unavailable: GRPC_STATUS_CODES.UNAVAILABLE,
} as const

/**
 * HTTP status for each gRPC status, as Envoy's Grpc::Utility::grpcToHttpStatus maps them (used for
 * outlier detection and for telling a failed gRPC answer from a good one).
 */
const HTTP_FOR_GRPC: readonly number[] = [
  200, // 0 OK
  499, // 1 CANCELLED
  500, // 2 UNKNOWN
  400, // 3 INVALID_ARGUMENT
  504, // 4 DEADLINE_EXCEEDED
  404, // 5 NOT_FOUND
  409, // 6 ALREADY_EXISTS
  403, // 7 PERMISSION_DENIED
  429, // 8 RESOURCE_EXHAUSTED
  400, // 9 FAILED_PRECONDITION
  409, // 10 ABORTED
  400, // 11 OUT_OF_RANGE
  501, // 12 UNIMPLEMENTED
  500, // 13 INTERNAL
  503, // 14 UNAVAILABLE
  500, // 15 DATA_LOSS
  401, // 16 UNAUTHENTICATED
]

/** The grpc-status in the response headers (a trailers-only answer), or undefined. Trailers are not seen, as in Envoy's retry logic. */
export function grpcStatusOf(outcome: ResponseOutcome): number | undefined {
  const value = responseHeader(outcome.headers, 'grpc-status')
  if (value === undefined || value.length === 0 || value.length > 2) return undefined
  const status = Number(value)
  return Number.isInteger(status) && status >= 0 ? status : undefined
}

/**
 * The status that decides whether a response failed: for a gRPC answer with grpc-status in its
 * headers, the HTTP status Envoy maps it to (unknown codes count as 500); otherwise the HTTP status.
 */
export function effectiveStatus(outcome: ResponseOutcome): number {
  const contentType = responseHeader(outcome.headers, 'content-type')
  if (contentType === undefined || !contentType.startsWith('application/grpc')) return outcome.status
  const grpc = grpcStatusOf(outcome)
  if (grpc === undefined) return outcome.status
  return HTTP_FOR_GRPC[grpc] ?? 500
}
