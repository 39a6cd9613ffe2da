import { createRequire } from 'node:module'

// Libraries only a live source uses, loaded when the first one starts: `import 'meshlet'` in a
// process with no Kubernetes or etcd source (a serverless function, a test) never reads them.

const require = createRequire(import.meta.url)
let undiciModule: typeof import('undici') | undefined
let cockatielModule: typeof import('cockatiel') | undefined

/** undici's full client (Agent, request), for the Kubernetes and etcd API clients. */
export function undici(): typeof import('undici') {
  return (undiciModule ??= require('undici') as typeof import('undici'))
}

/** cockatiel's backoff and breaker, for the reconnect policy of live sources. */
export function cockatiel(): typeof import('cockatiel') {
  return (cockatielModule ??= require('cockatiel') as typeof import('cockatiel'))
}
