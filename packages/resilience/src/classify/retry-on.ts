import { responseHeader } from '@meshlet/core'
import type { CallOutcome, OutcomeClass, ResponseOutcome } from '@meshlet/core'
import type { RetryPolicyConfig } from '../retry/policy.js'
import { GRPC_STATUS, effectiveStatus, grpcStatusOf } from './grpc-status.js'

/** One bit per Envoy retry_on policy (envoy router filter doc, "x-envoy-retry-on" and "x-envoy-retry-grpc-on"). */
const FLAG = {
  '5xx': 1 << 0,
  'gateway-error': 1 << 1,
  reset: 1 << 2,
  'reset-before-request': 1 << 3,
  'connect-failure': 1 << 4,
  'refused-stream': 1 << 5,
  'retriable-4xx': 1 << 6,
  'retriable-status-codes': 1 << 7,
  'retriable-headers': 1 << 8,
  'envoy-ratelimited': 1 << 9,
  'http3-post-connect-failure': 1 << 10,
  cancelled: 1 << 11,
  'deadline-exceeded': 1 << 12,
  internal: 1 << 13,
  'resource-exhausted': 1 << 14,
  unavailable: 1 << 15,
} as const

type Token = keyof typeof FLAG

/** Policies under which any failure without a response is retried. */
const ANY_RESET = FLAG.reset | FLAG['5xx'] | FLAG['gateway-error']

/** A route's retryOn compiled once: bits, status codes and header names. */
export interface RetryConditions {
  readonly flags: number
  readonly statusCodes: readonly number[]
  readonly headerNames: readonly string[]
  /** Tokens meshlet does not know (Istio's validation would have refused them); they match nothing. */
  readonly unknownTokens: readonly string[]
}

/** Compiles a policy's retryOn. Integer tokens are retriable status codes, as Istio treats them (retry.go parseRetryOn). */
export function compileRetryOn(policy: Pick<RetryPolicyConfig, 'retryOn' | 'retriableStatusCodes' | 'retriableHeaders'>): RetryConditions {
  let flags = 0
  const statusCodes = [...policy.retriableStatusCodes]
  const unknownTokens: string[] = []
  for (const raw of policy.retryOn) {
    const token = raw.trim()
    if (/^\d+$/.test(token)) {
      statusCodes.push(Number(token))
      continue
    }
    const flag = FLAG[token as Token]
    if (flag === undefined) unknownTokens.push(token)
    else flags |= flag
  }
  // Istio appends retriable-status-codes whenever the policy lists codes (retry.go parseRetryOn).
  if (statusCodes.length > 0) flags |= FLAG['retriable-status-codes']
  return {
    flags,
    statusCodes,
    headerNames: (policy.retriableHeaders ?? []).map((name) => name.toLowerCase()),
    unknownTokens,
  }
}

/**
 * Envoy's retry decision for one try (envoy source/common/router/retry_state_impl.cc
 * wouldRetryFromHeaders and wouldRetryFromReset):
 * - a local reply (overflow with x-envoy-overloaded, a fault abort, no healthy upstream) is never retried;
 * - `x-envoy-ratelimited` is retried only under envoy-ratelimited;
 * - 5xx: any 5xx; gateway-error: 502/503/504; retriable-4xx: 409; retriable-status-codes: the listed
 *   codes; retriable-headers: a listed header present; gRPC tokens: grpc-status 1/4/13/8/14 in the
 *   response headers;
 * - a try without a response: connect failures under connect-failure; a refused stream under
 *   refused-stream; anything not yet sent under reset-before-request; any of them, and a per-try
 *   timeout, under reset, 5xx or gateway-error;
 * - the route timeout and the caller's abort are never retried.
 * A failure that is not retried is `failure` when it is a 5xx (gRPC statuses mapped as Envoy maps
 * them) or a transport failure, else the call is a `success`.
 */
export function retryDecision(conditions: RetryConditions, outcome: CallOutcome): OutcomeClass {
  if (outcome.kind === 'response') return responseDecision(conditions, outcome)
  const flags = conditions.flags
  switch (outcome.reason) {
    case 'timeout':
    case 'cancelled':
      return 'failure'
    case 'connect-failure':
    case 'connect-timeout':
      if (flags & FLAG['connect-failure']) return 'retryable-failure'
      break
    case 'refused-stream':
      if (flags & FLAG['refused-stream']) return 'retryable-failure'
      break
    default:
      break
  }
  if (flags & FLAG['reset-before-request'] && !outcome.requestSent) return 'retryable-failure'
  if (flags & ANY_RESET) return 'retryable-failure'
  return 'failure'
}

function responseDecision(conditions: RetryConditions, outcome: ResponseOutcome): OutcomeClass {
  const failed = effectiveStatus(outcome) >= 500 ? 'failure' : 'success'
  const headers = outcome.headers
  if (outcome.localReason !== undefined || headers['x-envoy-overloaded'] !== undefined) return failed
  const flags = conditions.flags
  if (headers['x-envoy-ratelimited'] !== undefined) return flags & FLAG['envoy-ratelimited'] ? 'retryable-failure' : failed
  const status = outcome.status
  if (flags & FLAG['5xx'] && status >= 500 && status <= 599) return 'retryable-failure'
  if (flags & FLAG['gateway-error'] && status >= 502 && status <= 504) return 'retryable-failure'
  if (flags & FLAG['retriable-4xx'] && status === 409) return 'retryable-failure'
  if (flags & FLAG['retriable-status-codes'] && conditions.statusCodes.includes(status)) return 'retryable-failure'
  if (flags & FLAG['retriable-headers']) {
    for (const name of conditions.headerNames) if (responseHeader(headers, name) !== undefined) return 'retryable-failure'
  }
  if (flags & GRPC_FLAGS) {
    const grpc = grpcStatusOf(outcome)
    if (grpc !== undefined && flags & (GRPC_FLAG_BY_STATUS[grpc] ?? 0)) return 'retryable-failure'
  }
  return failed
}

const GRPC_FLAGS = FLAG.cancelled | FLAG['deadline-exceeded'] | FLAG.internal | FLAG['resource-exhausted'] | FLAG.unavailable

const GRPC_FLAG_BY_STATUS: Readonly<Record<number, number>> = {
  [GRPC_STATUS.cancelled]: FLAG.cancelled,
  [GRPC_STATUS.deadlineExceeded]: FLAG['deadline-exceeded'],
  [GRPC_STATUS.resourceExhausted]: FLAG['resource-exhausted'],
  [GRPC_STATUS.internal]: FLAG.internal,
  [GRPC_STATUS.unavailable]: FLAG.unavailable,
}

const compiled = new WeakMap<RetryPolicyConfig, RetryConditions>()

/** The compiled conditions of a policy, compiled on first use and kept as long as the (frozen, compiled) policy lives. */
export function retryConditionsFor(policy: RetryPolicyConfig): RetryConditions {
  let conditions = compiled.get(policy)
  if (conditions === undefined) {
    conditions = compileRetryOn(policy)
    compiled.set(policy, conditions)
  }
  return conditions
}
