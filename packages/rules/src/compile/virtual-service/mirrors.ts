import type { Destination, HTTPRoute } from '../../spec/virtual-service.js'
import type { CompiledMirror } from '../snapshot.js'

/** Istio mirrors 100 % when no percentage is given (`route.go` MirrorPercent). */
export const DEFAULT_MIRROR_PERCENTAGE = 100

/**
 * `mirror` (+ `mirrorPercentage`, or the deprecated integer `mirrorPercent`) and `mirrors[]`
 * (`route.go` MirrorPercent, MirrorPercentByPolicy): an explicit 0 means no mirroring. Hosts are
 * already fully qualified (resolve-hosts.ts).
 */
/** Most routes mirror nothing: they share one frozen empty list. */
const NO_MIRRORS: CompiledMirror[] = Object.freeze([]) as unknown as CompiledMirror[]

export function compileMirrors(route: HTTPRoute): CompiledMirror[] {
  const mirrors: CompiledMirror[] = []
  const add = (destination: Destination | undefined, percentage: number) => {
    if (!destination?.host || percentage <= 0) return
    mirrors.push({
      host: destination.host,
      subset: destination.subset || undefined,
      port: destination.port?.number || undefined,
      percentage: Math.min(percentage, 100),
    })
  }
  if (!route.mirror && !route.mirrors) return NO_MIRRORS
  if (route.mirror) {
    const percentage = route.mirrorPercentage
      ? (route.mirrorPercentage.value ?? 0)
      : typeof route.mirrorPercent === 'number'
        ? route.mirrorPercent
        : DEFAULT_MIRROR_PERCENTAGE
    add(route.mirror, percentage)
  }
  for (const mirror of route.mirrors ?? []) {
    add(mirror.destination, mirror.percentage ? (mirror.percentage.value ?? 0) : DEFAULT_MIRROR_PERCENTAGE)
  }
  return mirrors
}
