// The packages the benchmarks time, from their builds (`pnpm bench` builds first).
export * as rules from '@meshlet/rules'
export * as core from '@meshlet/core'

/** A module of a package's build that the package does not export (to time one phase alone). */
export function importDist(pathFromHere) {
  return import(new URL(pathFromHere, import.meta.url).href)
}
