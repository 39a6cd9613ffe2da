import { describe, expect, it } from 'vitest'
import { ISTIO_DEFAULT_RETRY_POLICY } from '../../test/support/defaults.js'
import { failureOf, outcomeOf } from '../../test/support/scripted.js'
import type { RetryPolicyConfig } from '../retry/policy.js'
import { classifierFor } from './classifier.js'

const retryOn = (...tokens: string[]): RetryPolicyConfig => ({ ...ISTIO_DEFAULT_RETRY_POLICY, retryOn: tokens, retriableStatusCodes: [] })
const grpc = (status: number) => outcomeOf(200, { 'content-type': 'application/grpc', 'grpc-status': String(status) })

describe('the route classifier', () => {
  it('judges a gRPC 200 with grpc-status 14 once: a failure to retry, charged to the endpoint as the 503 it maps to', () => {
    const verdict = classifierFor(ISTIO_DEFAULT_RETRY_POLICY, undefined)(grpc(14))
    expect(verdict).toEqual({ result: 'retryable-failure', endpoint: { kind: 'http', code: 503 } })
  })

  it('calls the same answer a failure that is not retried under a policy without a gRPC token (5xx reads the HTTP status, as Envoy)', () => {
    expect(classifierFor(retryOn('5xx'), undefined)(grpc(14))).toEqual({ result: 'failure', endpoint: { kind: 'http', code: 503 } })
    expect(classifierFor(retryOn('unavailable'), undefined)(grpc(14))).toEqual({ result: 'retryable-failure', endpoint: { kind: 'http', code: 503 } })
  })

  it('charges no endpoint for an answer meshlet made itself, and never retries it', () => {
    const overflow = outcomeOf(503, { 'x-envoy-overloaded': 'true' }, 'overflow')
    expect(classifierFor(retryOn('5xx'), undefined)(overflow)).toEqual({ result: 'failure', endpoint: { kind: 'ignore' } })
  })

  it('charges a timeout as a local-origin timeout and the caller’s abort to nobody', () => {
    const classify = classifierFor(retryOn('reset'), undefined)
    expect(classify(failureOf('per-try-timeout'))).toEqual({ result: 'retryable-failure', endpoint: { kind: 'local-failure', timeout: true } })
    expect(classify(failureOf('timeout'))).toEqual({ result: 'failure', endpoint: { kind: 'local-failure', timeout: true } })
    expect(classify(failureOf('connect-failure', false))).toEqual({ result: 'retryable-failure', endpoint: { kind: 'local-failure', timeout: false } })
    expect(classify(failureOf('cancelled'))).toEqual({ result: 'failure', endpoint: { kind: 'ignore' } })
  })

  it('follows outlierDetectionHttpErrorCodes: a listed code is an error, any other a success for the endpoint', () => {
    const classify = classifierFor(retryOn('5xx'), { httpErrorCodes: [429, 503] })
    expect(classify(outcomeOf(429)).endpoint).toEqual({ kind: 'http', code: 500 })
    expect(classify(outcomeOf(503)).endpoint).toEqual({ kind: 'http', code: 503 })
    expect(classify(outcomeOf(500)).endpoint).toEqual({ kind: 'http', code: 200 })
    expect(classify(outcomeOf(500)).result).toBe('retryable-failure')
  })

  it('hands out shared verdicts: judging allocates nothing once an answer was seen', () => {
    const classify = classifierFor(ISTIO_DEFAULT_RETRY_POLICY, undefined)
    expect(classify(outcomeOf(200))).toBe(classify(outcomeOf(200)))
    expect(classify(failureOf('reset'))).toBe(classify(failureOf('reset')))
  })

  it('is made once per pair of policy objects', () => {
    const outlier = { httpErrorCodes: undefined }
    expect(classifierFor(ISTIO_DEFAULT_RETRY_POLICY, outlier)).toBe(classifierFor(ISTIO_DEFAULT_RETRY_POLICY, outlier))
    expect(classifierFor(ISTIO_DEFAULT_RETRY_POLICY, outlier)).not.toBe(classifierFor(ISTIO_DEFAULT_RETRY_POLICY, undefined))
  })
})
