import type { FieldPath } from '../diagnostics/path.js'
import { asList, asRecord, asText } from './read.js'

export interface DestinationRef {
  /** Host resolved in the VirtualService's own namespace (a delegate's in its own, as Istio does). */
  readonly host: string
  readonly subset: string | undefined
  /** Path of the Destination object (`…route[1].destination`, `…mirror`, `…mirrors[0].destination`). */
  readonly path: FieldPath
  readonly role: 'route' | 'mirror'
}

/** Every route and mirror destination of a VirtualService's http routes, hosts resolved by `resolve`. */
export function readDestinations(http: readonly unknown[], resolve: (host: string) => string): DestinationRef[] {
  const out: DestinationRef[] = []
  const add = (value: unknown, path: FieldPath, role: DestinationRef['role']) => {
    const destination = asRecord(value)
    const host = asText(destination?.host)
    if (destination && host !== undefined) out.push({ host: resolve(host), subset: asText(destination.subset), path, role })
  }
  http.forEach((entry, i) => {
    const route = asRecord(entry)
    if (!route) return
    asList(route.route).forEach((item, j) => add(asRecord(item)?.destination, ['spec', 'http', i, 'route', j, 'destination'], 'route'))
    add(route.mirror, ['spec', 'http', i, 'mirror'], 'mirror')
    asList(route.mirrors).forEach((item, k) => add(asRecord(item)?.destination, ['spec', 'http', i, 'mirrors', k, 'destination'], 'mirror'))
  })
  return out
}
