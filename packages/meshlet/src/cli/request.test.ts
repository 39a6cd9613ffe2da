import { describe, expect, it } from 'vitest'
import type { CommandSpec } from './args.js'
import { parseHeaderOptions, parseRequestOption } from './request.js'

const spec: CommandSpec = { name: 'explain', summary: '', usage: '', minPositionals: 1, positionalName: 'file', options: [] }

describe('the --request option', () => {
  it('reads a method and a URL', () => {
    expect(parseRequestOption('POST http://orders/checkout', spec)).toEqual({ method: 'POST', url: 'http://orders/checkout' })
  })

  it('takes a URL alone as a GET', () => {
    expect(parseRequestOption('  http://reviews/r/1 ', spec)).toEqual({ method: 'GET', url: 'http://reviews/r/1' })
  })

  it('refuses anything with more than a method and a URL', () => {
    expect(() => parseRequestOption('GET http://a/ extra', spec)).toThrow(/METHOD URL/)
    expect(() => parseRequestOption('  ', spec)).toThrow(/METHOD URL/)
  })
})

describe('the -H option', () => {
  it('lower-cases names, trims values and joins a repeated header with a comma', () => {
    expect(parseHeaderOptions(['End-User: jason', 'x-tag:a', 'X-Tag: b'], spec)).toEqual({ 'end-user': 'jason', 'x-tag': 'a, b' })
  })

  it('keeps a colon inside the value', () => {
    expect(parseHeaderOptions(['x-url: http://a:1/'], spec)).toEqual({ 'x-url': 'http://a:1/' })
  })

  it('refuses a pseudo-header, which comes from --request as Envoy takes it from the request line', () => {
    expect(() => parseHeaderOptions([':authority: reviews'], spec)).toThrow(/come from --request/)
  })

  it('refuses a header without a name', () => {
    expect(() => parseHeaderOptions(['jason'], spec)).toThrow(/name: value/)
    expect(() => parseHeaderOptions([': x'], spec)).toThrow(/name: value/)
  })
})
