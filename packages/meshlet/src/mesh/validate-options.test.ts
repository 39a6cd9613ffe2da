import { describe, expect, it } from 'vitest'
import { validateOptions } from './validate-options.js'

describe('validateOptions', () => {
  it('accepts the options of the public contract', () => {
    expect(() =>
      validateOptions({ files: ['./mesh'], namespace: 'default', labels: { app: 'x' }, locality: 'r/z', endpoints: { reviews: [{ address: '127.0.0.1', port: 9081, labels: { version: 'v1' } }] }, watch: true }),
    ).not.toThrow()
  })

  it('names the option that is wrong', () => {
    expect(() => validateOptions({ files: 'mesh.yaml' as never })).toThrow(/option files/)
    expect(() => validateOptions({ endpoints: { reviews: [{ address: '127.0.0.1', port: 70000 }] } })).toThrow(/endpoints\["reviews"\]\[0\]\.port/)
    expect(() => validateOptions({ endpoints: { reviews: { address: 'x' } as never } })).toThrow(/endpoints\["reviews"\]/)
    expect(() => validateOptions({ namespace: '' })).toThrow(expect.objectContaining({ code: 'MESHLET_ERR_INVALID_ARGUMENT' }))
  })
})
