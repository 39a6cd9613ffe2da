import { describe, expect, it } from 'vitest'
import { isMeshError } from '../errors/mesh-error.js'
import { generateRequestId, propagationList } from './propagation.js'

describe('propagationList', () => {
  it('adds and removes names, lower-casing them, without repeating one', () => {
    const list = propagationList({ add: ['X-Tenant', 'end-user'], remove: ['B3'] })
    expect(list(['x-request-id', 'b3', 'end-user'])).toEqual(['x-request-id', 'end-user', 'x-tenant'])
  })

  it('hands back the same array until the mesh gives a new list', () => {
    const list = propagationList({ add: ['x-tenant'] })
    const meshList = ['x-request-id']
    const first = list(meshList)
    expect(list(meshList)).toBe(first)
    const reloaded = ['x-request-id', 'end-user']
    expect(list(reloaded)).not.toBe(first)
    expect(list(reloaded)).toEqual(['x-request-id', 'end-user', 'x-tenant'])
  })

  it('refuses a name that is not an HTTP header name', () => {
    let error: unknown
    try {
      propagationList({ add: ['end user'] })
    } catch (caught) {
      error = caught
    }
    expect(isMeshError(error, 'MESHLET_ERR_INVALID_ARGUMENT')).toBe(true)
    expect(String(error)).toContain('propagate.add')
  })
})

describe('generateRequestId', () => {
  it('makes a fresh UUID v4 each time, as Envoy does', () => {
    const id = generateRequestId()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(generateRequestId()).not.toBe(id)
  })
})
