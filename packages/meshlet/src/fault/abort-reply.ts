import { GRPC_STATUS_CODES, LOCAL_REASONS, REASON_HEADER, bytesBody } from '@meshlet/core'
import type { MeshResponse } from '@meshlet/core'
import type { CompiledFault } from '@meshlet/rules'


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
        'grpc-status': String(GRPC_STATUS_CODES[abort.grpcStatus as keyof typeof GRPC_STATUS_CODES] ?? GRPC_STATUS_CODES.UNKNOWN),
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
