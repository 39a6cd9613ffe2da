import type { RawResource } from '../source/resource.js'
import type { ResourceRef } from './snapshot.js'

/**
 * Oldest first, as Istio orders rules that compete for a host (`istio:pilot/pkg/model/config.go`
 * configCompareByCreationTime): creationTimestamp, then namespace/name, then load order for
 * resources written without a timestamp. A resource without a timestamp sorts after those with one.
 */
export function compareByAge(a: RawResource, b: RawResource): number {
  const timeA = timestampMs(a.creationTimestamp)
  const timeB = timestampMs(b.creationTimestamp)
  if (timeA !== timeB) return timeA - timeB
  const nameA = `${a.namespace}/${a.name}`
  const nameB = `${b.namespace}/${b.name}`
  if (nameA !== nameB) return nameA < nameB ? -1 : 1
  return a.loadIndex - b.loadIndex
}

function timestampMs(text: string | undefined): number {
  if (text === undefined) return Number.MAX_SAFE_INTEGER
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms
}

export function refOf(resource: RawResource): ResourceRef {
  return { kind: resource.kind, namespace: resource.namespace, name: resource.name, position: resource.locate([]) }
}
