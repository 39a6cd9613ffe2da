import type { Clock } from '@meshlet/core'
import type { SourceName, SourceReporter } from './events.js'

/**
 * The health of one source, from the health of its streams (one per watched kind and namespace).
 * The source is degraded while any stream fails; `discoveryDegraded` fires when the first stream
 * fails and again when a breaker opens, `discoveryRecovered` once every stream is back in sync.
 */
export class SourceHealth {
  private readonly failing = new Map<string, { breakerOpen: boolean }>()
  private degradedSinceMs: number | undefined

  constructor(
    private readonly source: SourceName,
    private readonly clock: Clock,
    private readonly reporter: SourceReporter,
  ) {}

  /** `stream` failed; the reporter hears of it when the source was healthy or the breaker just opened. */
  failed(stream: string, error: Error, breakerOpen: boolean): void {
    const previous = this.failing.get(stream)
    this.failing.set(stream, { breakerOpen })
    const firstFailure = this.degradedSinceMs === undefined
    if (firstFailure) this.degradedSinceMs = this.clock.now()
    if (firstFailure || (breakerOpen && previous?.breakerOpen !== true)) {
      this.reporter.degraded({ source: this.source, resource: stream, error, breakerOpen })
    }
  }

  /** `stream` is in sync again (a list or a resumed watch succeeded). */
  synced(stream: string): void {
    if (!this.failing.delete(stream) || this.failing.size > 0 || this.degradedSinceMs === undefined) return
    const downMs = this.clock.now() - this.degradedSinceMs
    this.degradedSinceMs = undefined
    this.reporter.recovered({ source: this.source, downMs })
  }

  get degraded(): boolean {
    return this.degradedSinceMs !== undefined
  }
}
