import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MESH_ERROR_CODES, MeshError, isMeshError } from './index.js'

describe('MeshError', () => {
  it('is recognised by its brand and code', () => {
    const error = new MeshError('MESHLET_ERR_CONFIG_INVALID', 'bad')
    expect(isMeshError(error)).toBe(true)
    expect(isMeshError(error, 'MESHLET_ERR_CONFIG_INVALID')).toBe(true)
    expect(isMeshError(error, 'MESHLET_ERR_CONFIG_PARSE')).toBe(false)
    expect(isMeshError(new Error('plain'))).toBe(false)
    expect(isMeshError(undefined)).toBe(false)
  })

  it('is recognised across copies of the library, which share the brand but not the class', () => {
    const foreign = Object.assign(new Error('x'), { code: 'MESHLET_ERR_CONFIG_PARSE', [Symbol.for('meshlet.error')]: true })
    expect(isMeshError(foreign, 'MESHLET_ERR_CONFIG_PARSE')).toBe(true)
  })
})

describe('docs/errors.md', () => {
  const docs = readFileSync(fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url)), 'utf8')
  const documented = new Set([...docs.matchAll(/^## (MESHLET_ERR_[A-Z0-9_]+)/gm)].map((m) => m[1]))

  it('documents every error code the code defines', () => {
    for (const code of Object.keys(MESH_ERROR_CODES)) expect(documented, code).toContain(code)
  })

  it('documents no code that no longer exists', () => {
    for (const code of documented) expect(Object.keys(MESH_ERROR_CODES)).toContain(code)
  })
})
