/**
 * The canonical gRPC status codes by name (https://github.com/grpc/grpc/blob/master/doc/statuscodes.md).
 * One table for the whole mesh: the validator checks `fault.abort.grpcStatus` names against it
 * (Istio accepts names only, `istio:pkg/util/grpc` SupportedGRPCStatus), the fault layer answers
 * with the code, and the retry policy reads codes back from `grpc-status`.
 */
export const GRPC_STATUS_CODES = Object.freeze({
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
} as const)

export type GrpcStatusName = keyof typeof GRPC_STATUS_CODES
