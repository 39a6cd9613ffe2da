import { GRPC_STATUS_CODES, LOCAL_REASONS } from '@meshlet/core'

/**
 * The gRPC status of an answer meshlet made itself for a gRPC call (no route, no healthy upstream,
 * overflow, a failed connection): Envoy's mapping of the local reply's HTTP status
 * (source/common/grpc/status.cc httpToGrpcStatus: 400 INTERNAL, 401 UNAUTHENTICATED, 403
 * PERMISSION_DENIED, 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE, anything else UNKNOWN).
 * One departure: the route timeout answers DEADLINE_EXCEEDED rather than Envoy's UNAVAILABLE, so
 * that a gRPC caller sees the route timeout as its call's deadline.
 */
export function grpcStatusForLocalReply(status: number, localReason: string | undefined): number {
  if (localReason === LOCAL_REASONS.timeout) return GRPC_STATUS_CODES.DEADLINE_EXCEEDED
  switch (status) {
    case 400:
      return GRPC_STATUS_CODES.INTERNAL
    case 401:
      return GRPC_STATUS_CODES.UNAUTHENTICATED
    case 403:
      return GRPC_STATUS_CODES.PERMISSION_DENIED
    case 404:
      return GRPC_STATUS_CODES.UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
      return GRPC_STATUS_CODES.UNAVAILABLE
    default:
      return GRPC_STATUS_CODES.UNKNOWN
  }
}
