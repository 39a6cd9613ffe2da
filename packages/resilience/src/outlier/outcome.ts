import type { CallOutcome } from '@meshlet/core'
import type { CancelReason } from '../deadline/cancellation.js'
import { effectiveStatus } from '../internal/grpc-status.js'
import type { OutlierConfig } from './policy.js'

/**
 * What one try tells outlier detection about its endpoint, in Envoy's terms
 * (envoy source/common/upstream/outlier_detection_impl.cc putResult / putHttpResponseCode):
 * an HTTP code from the upstream, a locally originated failure (connect failure, reset, timeout),
 * or nothing (the caller aborted; meshlet answered without the endpoint).
 */
export type OutlierResult =
  | { readonly kind: 'http'; readonly code: number }
  | { readonly kind: 'local-failure'; readonly timeout: boolean }
  | { readonly kind: 'ignore' }

const IGNORE: OutlierResult = Object.freeze({ kind: 'ignore' })
const LOCAL_FAILURE: OutlierResult = Object.freeze({ kind: 'local-failure', timeout: false })
const LOCAL_TIMEOUT: OutlierResult = Object.freeze({ kind: 'local-failure', timeout: true })

/**
 * Maps an outcome for outlier detection. gRPC answers count by the HTTP status their grpc-status
 * maps to. With outlierDetectionHttpErrorCodes, a listed code counts as an error (reported as 500
 * when it is not a 5xx itself) and any other as a success, as Envoy's HTTP error matcher does.
 * A try cancelled because a timeout fired counts as a timeout, as Envoy records LocalOriginTimeout.
 */
export function outlierResultOf(outcome: CallOutcome, config: OutlierConfig, cancelReason?: CancelReason): OutlierResult {
  if (outcome.kind === 'response') {
    if (outcome.localReason !== undefined) return IGNORE
    const code = effectiveStatus(outcome)
    const errorCodes = config.httpErrorCodes
    if (errorCodes === undefined) return { kind: 'http', code }
    if (!errorCodes.includes(code)) return { kind: 'http', code: 200 }
    return { kind: 'http', code: code >= 500 && code <= 599 ? code : 500 }
  }
  switch (outcome.reason) {
    case 'cancelled':
      return cancelReason === 'timeout' || cancelReason === 'per-try-timeout' ? LOCAL_TIMEOUT : IGNORE
    case 'timeout':
    case 'per-try-timeout':
      return LOCAL_TIMEOUT
    default:
      return LOCAL_FAILURE
  }
}
