import type { CallOutcome, EndpointResult } from '@meshlet/core'

export const IGNORE: EndpointResult = Object.freeze({ kind: 'ignore' })
export const LOCAL_FAILURE: EndpointResult = Object.freeze({ kind: 'local-failure', timeout: false })
export const LOCAL_TIMEOUT: EndpointResult = Object.freeze({ kind: 'local-failure', timeout: true })

/**
 * What a try charges its endpoint with, as Envoy's outlier detection takes it
 * (envoy source/common/upstream/outlier_detection_impl.cc putHttpResponseCode / putResult):
 * - an upstream answer counts by its status; a gRPC answer by the status its grpc-status maps to,
 *   read from the response headers only (a trailers-only answer): Envoy's router feeds outlier
 *   detection from the headers and leaves an error status sent as a trailer out (router.cc
 *   onUpstreamHeaders: "does not handle the case when an error grpc-status is sent as a
 *   trailer"); trailers only move the host's success/error counters. Telemetry, unlike this,
 *   reports the final status from the trailers (meshlet's request event, grpcStatus).
 *   With outlierDetectionHttpErrorCodes, a listed code is an error (reported as 500 when it is not a
 *   5xx itself) and any other code a success, as Envoy's HTTP error matcher does;
 * - a try that timed out (route or per-try) is a local-origin timeout, any other failure without a
 *   response a local-origin failure;
 * - an answer meshlet made itself (overflow, no healthy upstream, fault abort) and the caller's own
 *   abort charge nothing.
 * `code` is the status the answer counts as (effectiveStatus), passed in so it is computed once.
 */
export function endpointResultOf(outcome: CallOutcome, code: number, httpErrorCodes: readonly number[] | undefined): EndpointResult | number {
  if (outcome.kind === 'response') {
    if (outcome.localReason !== undefined) return IGNORE
    if (httpErrorCodes === undefined) return code
    if (!httpErrorCodes.includes(code)) return 200
    return code >= 500 && code <= 599 ? code : 500
  }
  switch (outcome.reason) {
    case 'cancelled':
      return IGNORE
    case 'timeout':
    case 'per-try-timeout':
      return LOCAL_TIMEOUT
    default:
      return LOCAL_FAILURE
  }
}
