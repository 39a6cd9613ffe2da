import { DEFAULT_PROPAGATED_HEADERS } from '@meshlet/core'
import type { MeshSnapshot } from '@meshlet/rules'

const cache = new WeakMap<MeshSnapshot, readonly string[]>()

/**
 * Headers an inbound request should hand to the outbound calls it makes: the default trace and
 * request-id headers, plus every header a loaded VirtualService matches on (an `end-user` match
 * only works if the caller forwards `end-user`). Computed once per snapshot.
 */
export function headersToPropagate(snapshot: MeshSnapshot): readonly string[] {
  let names = cache.get(snapshot)
  if (names === undefined) {
    const set = new Set(DEFAULT_PROPAGATED_HEADERS)
    for (const virtualService of snapshot.virtualServices) {
      for (const route of virtualService.routes) {
        for (const match of route.matches ?? []) {
          for (const header of match.headers) if (!header.name.startsWith(':')) set.add(header.name)
        }
      }
    }
    names = Object.freeze([...set])
    cache.set(snapshot, names)
  }
  return names
}
