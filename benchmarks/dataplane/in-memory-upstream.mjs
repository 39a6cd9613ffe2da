// The upstream of overhead.mjs and allocations.mjs: no sockets, so what is measured is the mesh's
// own cost. An undici Dispatcher answers every request with a small JSON body on the next turn of
// the event loop, as a socket read would, and the mesh's transport is handed it for every endpoint.
import { Dispatcher } from 'undici'

const BODY = Buffer.from('{"id":1,"name":"item","price":10}')
const RAW_HEADERS = [Buffer.from('content-type'), Buffer.from('application/json'), Buffer.from('content-length'), Buffer.from(String(BODY.length)), Buffer.from('connection'), Buffer.from('keep-alive')]

class InMemoryUpstream extends Dispatcher {
  dispatch(_options, handler) {
    setImmediate(() => {
      handler.onConnect?.(() => undefined)
      handler.onRequestSent?.()
      handler.onHeaders(200, RAW_HEADERS, () => undefined, 'OK')
      handler.onData(BODY)
      handler.onComplete([])
    })
    return true
  }
  close() {
    return Promise.resolve()
  }
  destroy() {
    return Promise.resolve()
  }
}

export const upstream = new InMemoryUpstream()

// The mesh's transport asks its pool registry for an undici Pool per endpoint: hand it the
// in-memory one. The unbundled build is loaded, so that the registry patched here is the one the
// mesh uses (the bundle holds its own copy); the request path's code is the same in both.
const { PoolRegistry } = await import(new URL('../../packages/meshlet/dist/transport/pools.js', import.meta.url).href)
PoolRegistry.prototype.get = () => upstream

/** meshlet's createMesh, every endpoint answered by `upstream`. */
export const { createMesh } = await import(new URL('../../packages/meshlet/dist/index.js', import.meta.url).href)
