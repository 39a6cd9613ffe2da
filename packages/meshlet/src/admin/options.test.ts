import { describe, expect, it } from 'vitest'
import { isMeshError } from '@meshlet/core'
import { DEFAULT_ADMIN_OPTIONS, isLoopback, resolveAdminOptions } from './options.js'

describe('admin options', () => {
  it("default to 127.0.0.1 and Envoy's admin port", () => {
    expect(resolveAdminOptions()).toEqual({ host: '127.0.0.1', port: 15_000, pageRefreshMs: DEFAULT_ADMIN_OPTIONS.pageRefreshMs })
  })

  it('take every loopback address as loopback, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopback(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.10', 'example.com', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopback(host), host).toBe(false)
  })

  it('refuse another address with MESHLET_ERR_ADMIN_BIND_REFUSED, and accept it when asked explicitly', () => {
    let refused: unknown
    try {
      resolveAdminOptions({ host: '0.0.0.0' })
    } catch (error) {
      refused = error
    }
    expect(isMeshError(refused, 'MESHLET_ERR_ADMIN_BIND_REFUSED')).toBe(true)
    expect(resolveAdminOptions({ host: '0.0.0.0', allowNonLoopback: true }).host).toBe('0.0.0.0')
  })

  it('refuse a port out of range and a refresh too fast to be useful', () => {
    for (const options of [{ port: -1 }, { port: 65_536 }, { port: 1.5 }, { pageRefreshMs: 10 }]) {
      expect(() => resolveAdminOptions(options), JSON.stringify(options)).toThrow(/listenAdmin: option/)
    }
  })
})
