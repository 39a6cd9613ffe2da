import { describe, expect, it } from 'vitest'
import { failureReasonOf } from './failure-reason.js'

const withCode = (code: string) => Object.assign(new Error(code), { code })

describe('failureReasonOf', () => {
  it('names a refused or unreachable connection a connect failure', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      expect(failureReasonOf(withCode(code), false), code).toBe('connect-failure')
    }
  })

  it('names undici connect timeouts and idle timeouts', () => {
    expect(failureReasonOf(withCode('UND_ERR_CONNECT_TIMEOUT'), false)).toBe('connect-timeout')
    expect(failureReasonOf(withCode('UND_ERR_HEADERS_TIMEOUT'), true)).toBe('per-try-timeout')
    expect(failureReasonOf(withCode('UND_ERR_BODY_TIMEOUT'), true)).toBe('per-try-timeout')
  })

  it('tells a reset before the request was written from one after', () => {
    expect(failureReasonOf(withCode('UND_ERR_SOCKET'), false)).toBe('reset-before-request')
    expect(failureReasonOf(withCode('ECONNRESET'), true)).toBe('reset')
  })

  it('names aborts cancelled and leaves argument errors to the caller', () => {
    expect(failureReasonOf(withCode('UND_ERR_ABORTED'), true)).toBe('cancelled')
    expect(failureReasonOf(new DOMException('x', 'AbortError'), true)).toBe('cancelled')
    expect(failureReasonOf(withCode('UND_ERR_INVALID_ARG'), false)).toBeUndefined()
  })
})
