import type { WarmupConfig } from '../config/config.js'
import { DEFAULT_WARMUP } from '../config/defaults.js'

/** What slow start reads and clears on an endpoint. */
export interface WarmingHost {
  /** When the endpoint joined; undefined once it is out of slow start. */
  warmStartMs: number | undefined
}

/**
 * Envoy slow start (envoy docs load_balancing/slow_start.rst): during the window a new endpoint's
 * weight is scaled by max(minimumPercent, timeFactor^(1/aggression)), where timeFactor counts at
 * least one second of the window. Istio allows it for ROUND_ROBIN and LEAST_REQUEST only.
 */
export class SlowStart {
  readonly durationMs: number
  private readonly minimumFactor: number
  private readonly exponent: number

  constructor(config: WarmupConfig) {
    this.durationMs = config.durationMs
    this.minimumFactor = (config.minimumPercent ?? DEFAULT_WARMUP.minimumPercent) / 100
    this.exponent = 1 / (config.aggression ?? DEFAULT_WARMUP.aggression)
  }

  /** Weight multiplier in (0, 1]; ends slow start for the host once its window is over. */
  factor(host: WarmingHost, nowMs: number): number {
    const startMs = host.warmStartMs
    if (startMs === undefined) return 1
    const elapsedMs = nowMs - startMs
    if (elapsedMs >= this.durationMs) {
      host.warmStartMs = undefined
      return 1
    }
    const timeFactor = Math.max(elapsedMs, DEFAULT_WARMUP.minimumElapsedMs) / this.durationMs
    if (timeFactor >= 1) return 1
    return Math.max(this.minimumFactor, Math.pow(timeFactor, this.exponent))
  }

  isWarming(host: WarmingHost, nowMs: number): boolean {
    return host.warmStartMs !== undefined && nowMs - host.warmStartMs < this.durationMs
  }
}
