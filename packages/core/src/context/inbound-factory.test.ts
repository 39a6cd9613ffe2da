import { describe, expect, it } from 'vitest'
import { DEFAULT_PROPAGATED_HEADERS } from './inbound.js'
import { inboundContextFactory, meshHeadersOf } from './inbound-factory.js'
import type { InboundHeaderMap, InboundMesh } from './inbound-factory.js'

function meshWith(list: readonly string[], nowMs = 1000): InboundMesh & { list: readonly string[] } {
  return {
    list,
    clock: { now: () => nowMs, setTimeout: () => ({}), clearTimeout: () => undefined },
    headersToPropagate() {
      return this.list
    },
  }
}

const noDeadline = () => undefined

describe('inboundContextFactory', () => {
  it('hands on the listed headers the request carries and its source address', () => {
    const contextFor = inboundContextFactory(meshWith([...DEFAULT_PROPAGATED_HEADERS, 'end-user']), { readDeadline: noDeadline })
    const context = contextFor({ 'x-request-id': 'r1', traceparent: 't1', 'end-user': 'jason', cookie: 'secret' }, '10.1.2.3')
    expect(context.propagatedHeaders).toEqual({ 'x-request-id': 'r1', traceparent: 't1', 'end-user': 'jason' })
    expect(context.sourceIp).toBe('10.1.2.3')
  })

  it('gives a request without x-request-id a new one, also in the headers the handler sees', () => {
    const contextFor = inboundContextFactory(meshWith(DEFAULT_PROPAGATED_HEADERS), { readDeadline: noDeadline, generateRequestId: () => 'generated-1' })
    const headers: InboundHeaderMap = {}
    expect(contextFor(headers, undefined).propagatedHeaders['x-request-id']).toBe('generated-1')
    expect(headers['x-request-id']).toBe('generated-1')
  })

  it('makes no request id when x-request-id was removed from the list', () => {
    const contextFor = inboundContextFactory(meshWith(DEFAULT_PROPAGATED_HEADERS), {
      readDeadline: noDeadline,
      propagate: { remove: ['x-request-id'] },
      generateRequestId: () => 'unwanted',
    })
    const headers: InboundHeaderMap = {}
    expect(contextFor(headers, undefined).propagatedHeaders).toEqual({})
    expect(headers['x-request-id']).toBeUndefined()
  })

  it('follows the mesh list as it changes on reload', () => {
    const mesh = meshWith(['x-request-id'])
    const contextFor = inboundContextFactory(mesh, { readDeadline: noDeadline })
    expect(contextFor({ 'x-request-id': 'a', 'end-user': 'jason' }, undefined).propagatedHeaders).toEqual({ 'x-request-id': 'a' })
    mesh.list = ['x-request-id', 'end-user']
    expect(contextFor({ 'x-request-id': 'a', 'end-user': 'jason' }, undefined).propagatedHeaders).toEqual({ 'x-request-id': 'a', 'end-user': 'jason' })
  })

  it('asks the deadline reader with a header lookup and the mesh clock', () => {
    const seen: Array<string | undefined> = []
    const contextFor = inboundContextFactory(meshWith([], 5000), {
      readDeadline: (header, nowMs) => {
        seen.push(header('x-envoy-expected-rq-timeout-ms'), header('x-multi'))
        return nowMs + 250
      },
    })
    expect(contextFor({ 'x-envoy-expected-rq-timeout-ms': '250', 'x-multi': ['first', 'second'] }, undefined).deadlineMs).toBe(5250)
    expect(seen).toEqual(['250', 'first'])
  })
})

describe('meshHeadersOf', () => {
  it('returns the same map when every value is a string', () => {
    const headers = { origin: 'https://a.example', 'x-a': '1' }
    expect(meshHeadersOf(headers)).toBe(headers)
  })

  it('joins repeated values and drops undefined ones without touching the original', () => {
    const headers: InboundHeaderMap = { 'x-a': ['1', '2'], 'x-b': undefined, origin: 'o' }
    expect(meshHeadersOf(headers)).toEqual({ 'x-a': '1, 2', origin: 'o' })
    expect(headers['x-a']).toEqual(['1', '2'])
  })
})
