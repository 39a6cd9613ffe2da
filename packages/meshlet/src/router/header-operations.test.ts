import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { applyRequestOperations, applyResponseOperations } from './header-operations.js'

const none = { set: {}, add: {}, remove: [] }

describe('applyRequestOperations', () => {
  it('removes first, then sets, then appends', () => {
    const headers = applyRequestOperations({ a: '1', b: '2', c: '3' }, { set: { b: 'new', a: 'again' }, add: { c: 'more', d: 'fresh' }, remove: ['a'] })
    expect(headers).toEqual({ a: 'again', b: 'new', c: '3, more', d: 'fresh' })
  })

  it('returns the same object when there is nothing to do', () => {
    const headers = { a: '1' }
    expect(applyRequestOperations(headers, none)).toBe(headers)
  })

  it('never sets Host: authority rewrites are the router business', () => {
    expect(applyRequestOperations({}, { set: { host: 'x', ':authority': 'y' }, add: {}, remove: [] })).toEqual({})
  })

  it('unescapes %% and expands %HOSTNAME% as Envoy does', () => {
    expect(applyRequestOperations({}, { set: { load: '50%%', node: '%HOSTNAME%' }, add: {}, remove: [] })).toEqual({ load: '50%', node: hostname() })
  })
})

describe('applyResponseOperations', () => {
  it('adds a value as one more header line', () => {
    expect(applyResponseOperations({ 'set-cookie': 'a=1' }, { set: {}, add: { 'set-cookie': 'b=2' }, remove: [] })).toEqual({ 'set-cookie': ['a=1', 'b=2'] })
  })
})
