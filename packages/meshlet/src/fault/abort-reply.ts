import { LOCAL_REASONS, REASON_HEADER, bytesBody } from '@meshlet/core'
import type { MeshResponse } from '@meshlet/core'
import type { CompiledFault } from '@meshlet/rules'

/** gRPC status names (istio validates abort.grpcStatus against them) and their codes (grpc status.proto). */
const GRPC_CODES: Readonly<Record<string, number>> = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
}

/** Envoy's fault filter reply body. */
const ABORT_TEXT = 'fault filter abort'

/**
 * The local reply of an injected abort. An HTTP status answers with that status; a gRPC status
 * answers as Envoy's fault filter does for gRPC, a trailers-only 200 with `grpc-status`.
 */
export function abortReply(abort: NonNullable<CompiledFault['abort']>): MeshResponse {
  if (abort.grpcStatus !== undefined) {
    return {
      status: 200,
      headers: {
        'content-type': 'application/grpc',
        'grpc-status': String(GRPC_CODES[abort.grpcStatus] ?? GRPC_CODES.UNKNOWN),
        'grpc-message': ABORT_TEXT,
        [REASON_HEADER]: LOCAL_REASONS.faultAbort,
      },
      body: null,
      localReason: LOCAL_REASONS.faultAbort,
    }
  }
  return {
    status: abort.httpStatus,
    headers: { 'content-type': 'text/plain', 'content-length': String(ABORT_TEXT.length), [REASON_HEADER]: LOCAL_REASONS.faultAbort },
    body: bytesBody(ABORT_TEXT),
    localReason: LOCAL_REASONS.faultAbort,
  }
}
