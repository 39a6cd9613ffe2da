import type { RawResource } from '../source/resource.js'
import type { ResourceRef } from './snapshot.js'

/**
 * Oldest first, as Istio orders rules that compete for a host (`istio:pilot/pkg/model/config.go`
 * sortConfigByCreationTime): creationTimestamp, then name, then namespace, then load order. A
 * resource written without a timestamp counts as Go's zero time, so it sorts before dated ones.
 */
export function compareByAge(a: RawResource, b: RawResource): number {
  const timeA = timestampMs(a.creationTimestamp)
  const timeB = timestampMs(b.creationTimestamp)
  if (timeA !== timeB) return timeA - timeB
  if (a.name !== b.name) return a.name < b.name ? -1 : 1
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1
  return a.loadIndex - b.loadIndex
}

function timestampMs(text: string | undefined): number {
  const ms = text === undefined ? NaN : Date.parse(text)
  return Number.isNaN(ms) ? Number.MIN_SAFE_INTEGER : ms
}

export function refOf(resource: RawResource): ResourceRef {
  return { kind: resource.kind, namespace: resource.namespace, name: resource.name, position: resource.locate([]) }
}
