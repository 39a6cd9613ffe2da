import type { LoadMetric, LoadTracker } from './load-metric.js'
import { DEFAULT_PEAK_EWMA } from '../config/defaults.js'

export interface PeakEwmaSettings {
  /** Time constant of the moving average: an observation's weight falls to 1/e after this long. */
  readonly decayMs?: number | undefined
  /** Estimate for an endpoint never measured. */
  readonly defaultRttMs?: number | undefined
}

/**
 * Peak-EWMA latency × (active + 1), as Finagle, Linkerd and tower measure it. A latency above the
 * estimate replaces it at once (the "peak"); lower ones blend in with a weight that grows with the
 * time since the last update. Reading the cost decays the estimate toward zero, so an endpoint that
 * was slow and has been left alone is tried again after a while instead of being shunned for ever.
 */
export function peakEwmaLoad(settings: PeakEwmaSettings = {}): LoadMetric {
  const decayMs = settings.decayMs ?? DEFAULT_PEAK_EWMA.decayMs
  const defaultRttMs = settings.defaultRttMs ?? DEFAULT_PEAK_EWMA.defaultRttMs
  if (!(decayMs > 0)) throw new RangeError(`peak EWMA decayMs must be > 0, got ${decayMs}`)
  return { name: 'peak-ewma', readsClock: true, track: (nowMs) => new PeakEwmaTracker(nowMs, defaultRttMs, decayMs) }
}

class PeakEwmaTracker implements LoadTracker {
  private estimateMs: number
  private updatedAtMs: number

  constructor(
    nowMs: number,
    defaultRttMs: number,
    private readonly decayMs: number,
  ) {
    this.estimateMs = defaultRttMs
    this.updatedAtMs = nowMs
  }

  cost(nowMs: number, active: number): number {
    return this.decayed(nowMs) * (active + 1)
  }

  observe(nowMs: number, latencyMs: number, failed: boolean): void {
    // A failure is often fast; it must not make the endpoint look better than it was.
    const sample = failed ? Math.max(latencyMs, this.estimateMs) : latencyMs
    if (sample > this.estimateMs) this.estimateMs = sample
    else {
      // The sample stands for the time since the last update (tower's RttEstimate::update).
      const keep = Math.exp(-(nowMs - this.updatedAtMs) / this.decayMs)
      this.estimateMs = this.estimateMs * keep + sample * (1 - keep)
    }
    this.updatedAtMs = nowMs
  }

  /** The estimate blended with a zero-latency sample for the time elapsed (tower's `decay`). */
  private decayed(nowMs: number): number {
    const elapsedMs = nowMs - this.updatedAtMs
    // Below 1/10,000 of the decay time the change is under 0.01 %: skip the exponential and keep
    // the update time, so the skipped time still counts at the next read.
    if (elapsedMs < this.decayMs * 1e-4) return this.estimateMs
    this.estimateMs *= Math.exp(-elapsedMs / this.decayMs)
    this.updatedAtMs = nowMs
    return this.estimateMs
  }
}
