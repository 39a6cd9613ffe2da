import { describe, expect, it } from 'vitest'
import type { CallOutcome } from '@meshlet/core'
import { failureOf, outcomeOf } from '../../test/support/scripted.js'
import { ISTIO_DEFAULT_RETRY_POLICY } from '../../test/support/defaults.js'
import { classifierFor } from './classifier.js'
import { compileRetryOn, retryDecision } from './retry-on.js'

const decide = (retryOn: string[], outcome: CallOutcome, extra: { codes?: number[]; headers?: string[] } = {}) =>
  retryDecision(compileRetryOn({ retryOn, retriableStatusCodes: extra.codes ?? [], retriableHeaders: extra.headers }), outcome)

const grpc = (status: number) => outcomeOf(200, { 'content-type': 'application/grpc', 'grpc-status': String(status) })

describe('retryOn', () => {
  it('5xx retries any 5xx response and every failure without a response', () => {
    expect(decide(['5xx'], outcomeOf(500))).toBe('retryable-failure')
    expect(decide(['5xx'], outcomeOf(599))).toBe('retryable-failure')
    expect(decide(['5xx'], outcomeOf(404))).toBe('success')
    for (const reason of ['connect-failure', 'connect-timeout', 'reset', 'reset-before-request', 'refused-stream', 'per-try-timeout'] as const) {
      expect(decide(['5xx'], failureOf(reason)), reason).toBe('retryable-failure')
    }
  })

  it('gateway-error retries 502, 503 and 504 only, and failures without a response', () => {
    expect(decide(['gateway-error'], outcomeOf(502))).toBe('retryable-failure')
    expect(decide(['gateway-error'], outcomeOf(503))).toBe('retryable-failure')
    expect(decide(['gateway-error'], outcomeOf(504))).toBe('retryable-failure')
    expect(decide(['gateway-error'], outcomeOf(500))).toBe('failure')
    expect(decide(['gateway-error'], failureOf('reset'))).toBe('retryable-failure')
    expect(decide(['gateway-error'], failureOf('per-try-timeout'))).toBe('retryable-failure')
  })

  it('reset retries every failure without a response, the per-try timeout included, but no response', () => {
    expect(decide(['reset'], failureOf('reset'))).toBe('retryable-failure')
    expect(decide(['reset'], failureOf('connect-failure', false))).toBe('retryable-failure')
    expect(decide(['reset'], failureOf('per-try-timeout'))).toBe('retryable-failure')
    expect(decide(['reset'], outcomeOf(503))).toBe('failure')
  })

  it('reset-before-request retries only failures before any request byte was sent', () => {
    expect(decide(['reset-before-request'], failureOf('reset-before-request', false))).toBe('retryable-failure')
    expect(decide(['reset-before-request'], failureOf('connect-failure', false))).toBe('retryable-failure')
    expect(decide(['reset-before-request'], failureOf('reset', true))).toBe('failure')
    expect(decide(['reset-before-request'], failureOf('per-try-timeout', true))).toBe('failure')
  })

  it('connect-failure retries connect failures and connect timeouts, not resets or request timeouts', () => {
    expect(decide(['connect-failure'], failureOf('connect-failure', false))).toBe('retryable-failure')
    expect(decide(['connect-failure'], failureOf('connect-timeout', false))).toBe('retryable-failure')
    expect(decide(['connect-failure'], failureOf('reset'))).toBe('failure')
    expect(decide(['connect-failure'], failureOf('per-try-timeout'))).toBe('failure')
    expect(decide(['connect-failure'], outcomeOf(503))).toBe('failure')
  })

  it('refused-stream retries a refused HTTP/2 stream only', () => {
    expect(decide(['refused-stream'], failureOf('refused-stream'))).toBe('retryable-failure')
    expect(decide(['refused-stream'], failureOf('reset'))).toBe('failure')
  })

  it('retriable-4xx retries 409 only', () => {
    expect(decide(['retriable-4xx'], outcomeOf(409))).toBe('retryable-failure')
    expect(decide(['retriable-4xx'], outcomeOf(429))).toBe('success')
  })

  it('retriable-status-codes retries the listed codes, given as codes or as integer tokens', () => {
    expect(decide(['retriable-status-codes'], outcomeOf(429), { codes: [429] })).toBe('retryable-failure')
    expect(decide(['retriable-status-codes'], outcomeOf(503), { codes: [429] })).toBe('failure')
    expect(decide(['503'], outcomeOf(503))).toBe('retryable-failure')
    expect(decide([], outcomeOf(418), { codes: [418] })).toBe('retryable-failure')
    expect(decide(['retriable-status-codes'], outcomeOf(503))).toBe('failure')
  })

  it('retriable-headers retries a response carrying a listed header', () => {
    expect(decide(['retriable-headers'], outcomeOf(200, { 'x-retry-me': '1' }), { headers: ['X-Retry-Me'] })).toBe('retryable-failure')
    expect(decide(['retriable-headers'], outcomeOf(200), { headers: ['x-retry-me'] })).toBe('success')
    expect(decide(['retriable-headers'], outcomeOf(200, { 'x-retry-me': '1' }))).toBe('success')
  })

  it('envoy-ratelimited retries x-envoy-ratelimited answers, which nothing else retries', () => {
    const limited = outcomeOf(429, { 'x-envoy-ratelimited': 'true' })
    expect(decide(['envoy-ratelimited'], limited)).toBe('retryable-failure')
    expect(decide(['retriable-status-codes'], limited, { codes: [429] })).toBe('success')
    expect(decide(['5xx'], outcomeOf(503, { 'x-envoy-ratelimited': 'true' }))).toBe('failure')
  })

  it('http3-post-connect-failure has nothing to retry over HTTP/1 and HTTP/2', () => {
    expect(decide(['http3-post-connect-failure'], failureOf('reset'))).toBe('failure')
  })

  it('reads each gRPC token from grpc-status in the response headers', () => {
    expect(decide(['cancelled'], grpc(1))).toBe('retryable-failure')
    expect(decide(['deadline-exceeded'], grpc(4))).toBe('retryable-failure')
    expect(decide(['resource-exhausted'], grpc(8))).toBe('retryable-failure')
    expect(decide(['internal'], grpc(13))).toBe('retryable-failure')
    expect(decide(['unavailable'], grpc(14))).toBe('retryable-failure')
    expect(decide(['unavailable'], grpc(13))).toBe('failure')
    expect(decide(['cancelled'], grpc(0))).toBe('success')
    expect(decide(['unavailable'], outcomeOf(200))).toBe('success')
  })

  it('never retries a local overflow, a local reply or the route timeout', () => {
    expect(decide(['5xx'], outcomeOf(503, { 'x-envoy-overloaded': 'true' }))).toBe('failure')
    expect(decide(['5xx'], outcomeOf(503, {}, 'overflow'))).toBe('failure')
    expect(decide(['5xx', 'retriable-status-codes'], outcomeOf(500, {}, 'fault-abort'), { codes: [500] })).toBe('failure')
    expect(decide(['5xx', 'reset'], failureOf('timeout'))).toBe('failure')
    expect(decide(['5xx', 'reset'], failureOf('cancelled'))).toBe('failure')
  })

  it('keeps unknown tokens aside instead of failing', () => {
    const conditions = compileRetryOn({ retryOn: ['5xx', 'made-up'], retriableStatusCodes: [] })
    expect(conditions.unknownTokens).toEqual(['made-up'])
    expect(retryDecision(conditions, outcomeOf(500))).toBe('retryable-failure')
  })
})

describe("Istio's default policy", () => {
  const classify = (outcome: CallOutcome) => classifierFor(ISTIO_DEFAULT_RETRY_POLICY, undefined)(outcome).result

  it('retries connect failures, refused streams and gRPC unavailable and cancelled', () => {
    expect(classify(failureOf('connect-failure', false))).toBe('retryable-failure')
    expect(classify(failureOf('refused-stream'))).toBe('retryable-failure')
    expect(classify(grpc(14))).toBe('retryable-failure')
    expect(classify(grpc(1))).toBe('retryable-failure')
  })

  it('does not retry a POST answered 503, nor a reset after the request was sent', () => {
    expect(classify(outcomeOf(503))).toBe('failure')
    expect(classify(failureOf('reset'))).toBe('failure')
    expect(classify(failureOf('per-try-timeout'))).toBe('failure')
  })

  it('calls a 4xx a success and a 5xx or a failed gRPC status a failure', () => {
    expect(classify(outcomeOf(404))).toBe('success')
    expect(classify(outcomeOf(500))).toBe('failure')
    expect(classify(grpc(13))).toBe('failure')
  })
})
