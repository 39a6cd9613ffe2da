/**
 * gRPC status names Istio accepts for `fault.abort.grpcStatus`: names only, numbers such as "14"
 * are not accepted (`istio:pkg/util/grpc` SupportedGRPCStatus). The table itself lives in core.
 */
export { GRPC_STATUS_CODES } from '@meshlet/core'
