import { describe, expect, it } from 'vitest'
import { localReply, statusForFailure } from './local-reply.js'
import { UpstreamFailureError } from './upstream-error.js'
import { failureOutcome, responseOutcome } from './outcome.js'
import { isMeshError } from '../errors/mesh-error.js'
import { responseHeader } from './headers.js'

async function text(body: AsyncIterable<Uint8Array> | null): Promise<string> {
  if (body === null) return ''
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(chunk)
  return Buffer.concat(chunks).toString()
}

describe('localReply', () => {
  it('names its reason in x-meshlet-reason and in localReason', () => {
    const reply = localReply(503, 'no-healthy-upstream')
    expect(reply.status).toBe(503)
    expect(reply.headers['x-meshlet-reason']).toBe('no-healthy-upstream')
    expect(reply.localReason).toBe('no-healthy-upstream')
  })

  it('answers with the text Envoy gives', async () => {
    expect(await text(localReply(504, 'timeout').body)).toBe('upstream request timeout')
  })

  it('answers a missing route with no body, as Envoy does', () => {
    expect(localReply(404, 'no-route').body).toBeNull()
  })
})

describe('statusForFailure', () => {
  it('answers timeouts with 504 and other failures with 503', () => {
    expect(statusForFailure('per-try-timeout')).toBe(504)
    expect(statusForFailure('timeout')).toBe(504)
    expect(statusForFailure('connect-failure')).toBe(503)
    expect(statusForFailure('reset')).toBe(503)
  })
})

describe('outcomes', () => {
  it('reads the failure outcome of an UpstreamFailureError and nothing from other errors', () => {
    const error = new UpstreamFailureError('connect-failure', false, new Error('ECONNREFUSED'))
    expect(isMeshError(error, 'MESHLET_ERR_UPSTREAM_FAILURE')).toBe(true)
    expect(failureOutcome(error)).toMatchObject({ kind: 'failure', reason: 'connect-failure', requestSent: false })
    expect(failureOutcome(new Error('bug'))).toBeUndefined()
  })

  it('looks response headers up by lower-case name, joining lists', () => {
    const outcome = responseOutcome({ status: 200, headers: { 'set-cookie': ['a=1', 'b=2'], 'grpc-status': '14' }, body: null, localReason: undefined })
    expect(responseHeader(outcome.headers, 'grpc-status')).toBe('14')
    expect(responseHeader(outcome.headers, 'set-cookie')).toBe('a=1, b=2')
    expect(responseHeader(outcome.headers, 'missing')).toBeUndefined()
  })
})
