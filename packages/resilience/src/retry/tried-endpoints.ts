import { RETRY_DEFAULTS } from './policy.js'

/** Anything with a stable endpoint id (`address:port`), like core's MeshEndpoint. */
export interface EndpointLike {
  readonly id: string
}

/**
 * The endpoints the tries of one call have used, for Envoy's previous_hosts retry predicate: a
 * retry should go to an endpoint not tried yet. The retry layer makes one per call and hands it to
 * the tries below; the balancer picks through `select`, which re-picks up to
 * `maxSelectionAttempts` times to find an untried endpoint and then accepts a repeat (Istio sets
 * host_selection_retry_max_attempts to 5).
 */
export class TriedEndpoints<E extends EndpointLike = EndpointLike> {
  readonly avoidPrevious: boolean
  readonly maxSelectionAttempts: number
  readonly #endpoints: E[] = []

  constructor(avoidPrevious: boolean, maxSelectionAttempts: number = RETRY_DEFAULTS.hostSelectionMaxAttempts) {
    this.avoidPrevious = avoidPrevious
    this.maxSelectionAttempts = Math.max(1, maxSelectionAttempts)
  }

  /** The endpoints tried so far, oldest first, each once. */
  get endpoints(): readonly E[] {
    return this.#endpoints
  }

  get size(): number {
    return this.#endpoints.length
  }

  has(id: string): boolean {
    for (const endpoint of this.#endpoints) if (endpoint.id === id) return true
    return false
  }

  /** Notes that a try went to `endpoint` (select does this itself). */
  record(endpoint: E): void {
    if (!this.has(endpoint.id)) this.#endpoints.push(endpoint)
  }

  /**
   * Picks an endpoint with `pick` (the balancer's own choice), preferring one not tried yet when
   * previous hosts are avoided, and records it. Undefined when `pick` finds none.
   */
  select(pick: () => E | undefined): E | undefined {
    let candidate = pick()
    if (this.avoidPrevious && this.#endpoints.length > 0) {
      for (let attempt = 1; candidate !== undefined && attempt < this.maxSelectionAttempts && this.has(candidate.id); attempt++) {
        candidate = pick()
      }
    }
    if (candidate !== undefined) this.record(candidate)
    return candidate
  }
}
