import type { Clock } from '@meshlet/core'
import type { SimulatedOutlierDetection } from './scenario.js'

interface EndpointRecord {
  consecutiveErrors: number
  timesEjected: number
  ejected: boolean
}

/**
 * Consecutive-error ejection for the simulator: eject inline when the threshold is hit (within
 * maxEjectionPercent, always allowing one), return after baseEjection × times ejected. Envoy's
 * interval sweep and multiplier decay are left out; the real detector lives in @meshlet/resilience.
 */
export class SimulatedOutlierDetector<E> {
  private readonly records = new Map<E, EndpointRecord>()
  ejections = 0

  constructor(
    private readonly settings: SimulatedOutlierDetection,
    private readonly clock: Clock,
    private readonly endpointCount: () => number,
    private readonly setEjected: (endpoint: E, ejected: boolean) => void,
  ) {}

  record(endpoint: E, failed: boolean): void {
    let record = this.records.get(endpoint)
    if (record === undefined) {
      record = { consecutiveErrors: 0, timesEjected: 0, ejected: false }
      this.records.set(endpoint, record)
    }
    if (!failed) {
      record.consecutiveErrors = 0
      return
    }
    record.consecutiveErrors++
    if (record.ejected || record.consecutiveErrors < this.settings.consecutiveErrors || !this.mayEject()) return
    record.ejected = true
    record.consecutiveErrors = 0
    record.timesEjected++
    this.ejections++
    this.setEjected(endpoint, true)
    this.clock.setTimeout(() => {
      record.ejected = false
      this.setEjected(endpoint, false)
    }, this.settings.baseEjectionMs * record.timesEjected)
  }

  private mayEject(): boolean {
    let ejected = 0
    for (const record of this.records.values()) if (record.ejected) ejected++
    return ejected === 0 || ((ejected + 1) * 100) / this.endpointCount() <= this.settings.maxEjectionPercent
  }
}
