import type { RawResource } from '../source/resource.js'

/**
 * Istio's order when several resources compete (`istio:pilot/pkg/model/config.go`
 * sortConfigByCreationTime): oldest creationTimestamp first, then name, then namespace. Files
 * rarely carry timestamps, so load order breaks the remaining ties.
 */
export function compareByAge(a: RawResource, b: RawResource): number {
  return (
    timestamp(a) - timestamp(b) ||
    compareText(a.name, b.name) ||
    compareText(a.namespace, b.namespace) ||
    a.loadIndex - b.loadIndex
  )
}

function timestamp(resource: RawResource): number {
  const parsed = resource.creationTimestamp === undefined ? Number.NaN : Date.parse(resource.creationTimestamp)
  return Number.isNaN(parsed) ? 0 : parsed
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
