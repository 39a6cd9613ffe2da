import type { FieldPath } from '../diagnostics/path.js'
import type { VirtualServiceInfo } from './inventory.js'
import { asList, asRecord, asText } from './read.js'

export interface DestinationRef {
  /** Host as written (resolve it in the VirtualService's own namespace; delegates resolve in theirs). */
  readonly host: string
  readonly subset: string | undefined
  /** Path of the Destination object (`…route[1].destination`, `…mirror`, `…mirrors[0].destination`). */
  readonly path: FieldPath
  readonly role: 'route' | 'mirror'
}

/** Every route and mirror destination of a VirtualService's http routes. */
export function destinationsOf(vs: VirtualServiceInfo): DestinationRef[] {
  const out: DestinationRef[] = []
  const add = (value: unknown, path: FieldPath, role: DestinationRef['role']) => {
    const destination = asRecord(value)
    const host = asText(destination?.host)
    if (destination && host !== undefined) out.push({ host, subset: asText(destination.subset), path, role })
  }
  vs.http.forEach((entry, i) => {
    const route = asRecord(entry)
    if (!route) return
    asList(route.route).forEach((item, j) => add(asRecord(item)?.destination, ['spec', 'http', i, 'route', j, 'destination'], 'route'))
    add(route.mirror, ['spec', 'http', i, 'mirror'], 'mirror')
    asList(route.mirrors).forEach((item, k) => add(asRecord(item)?.destination, ['spec', 'http', i, 'mirrors', k, 'destination'], 'mirror'))
  })
  return out
}
