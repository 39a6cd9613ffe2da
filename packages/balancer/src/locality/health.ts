import { DEFAULT_LOCALITY } from '../config/defaults.js'

/**
 * Envoy's health of a priority or locality in whole percent: healthy share × overprovisioning
 * factor, capped at 100 (envoy docs load_balancing/priority.rst and locality_weight.rst). With
 * the factor 1.4 a level with 72 % of its hosts healthy still counts as fully healthy.
 */
export function healthPercent(healthy: number, total: number, factor: number = DEFAULT_LOCALITY.overprovisioningFactor): number {
  if (total === 0) return 0
  return Math.min(100, Math.floor((factor * 100 * healthy) / total))
}

/**
 * Envoy's priority load: each priority takes its health as a share of the normalized total health
 * until 100 % is handed out; rounding leftovers go to the first priority with health. All zeros
 * when no priority has a healthy host.
 */
export function priorityLoads(healthy: readonly number[], total: readonly number[], factor?: number): number[] {
  const health = healthy.map((count, index) => healthPercent(count, total[index]!, factor))
  const normalizedTotal = Math.min(100, health.reduce((sum, value) => sum + value, 0))
  const loads = health.map(() => 0)
  if (normalizedTotal === 0) return loads
  let remaining = 100
  for (let index = 0; index < health.length && remaining > 0; index++) {
    const load = Math.min(remaining, Math.floor((health[index]! * 100) / normalizedTotal))
    loads[index] = load
    remaining -= load
  }
  if (remaining > 0) {
    const first = health.findIndex((value) => value > 0)
    loads[first] = loads[first]! + remaining
  }
  return loads
}

/** Envoy's locality weight adjusted for availability: weight × min(100, health %). */
export function effectiveLocalityWeight(weight: number, healthy: number, total: number, factor?: number): number {
  return weight * healthPercent(healthy, total, factor)
}
