// What the traffic saw, counted as it arrives: the reviews version that answered each user group,
// what happened to the ratings calls, the errors, the retries and the latencies.

export class Tally {
  requests = 0
  /** group (`jason` | `others`) → version → answers */
  versions = { jason: new Map(), others: new Map() }
  /** `ok`, or `<status> <reason>` of a failed ratings call → count (only v2 and v3 call ratings) */
  ratings = new Map()
  /** `<status> <reason>` of each answer that was not a 200 → count */
  errors = new Map()
  /** jason's answers from v2 whose ratings call carried `end-user: jason`, of all his v2 answers with ratings */
  propagated = { seen: 0, of: 0 }
  retriedCalls = 0
  latenciesMs = []
  /** What the ingress gateway saw: `<status> <flags>` → count, from its gatewayRequest events. */
  ingress = new Map()

  addIngress(event) {
    increment(this.ingress, event.responseFlags === '-' ? String(event.status) : `${event.status} ${event.responseFlags}`)
  }

  add(result) {
    this.requests += 1
    this.latenciesMs.push(result.latencyMs)
    if (result.status !== 200) {
      increment(this.errors, `${result.status} ${result.reason ?? ''}`.trim())
      return
    }
    const group = result.user === 'jason' ? 'jason' : 'others'
    increment(this.versions[group], result.version ?? 'unknown')
    if (result.ratings === null) return
    if (result.ratings.error !== undefined) {
      increment(this.ratings, `${result.ratings.error} ${result.ratings.reason ?? ''}`.trim())
      return
    }
    increment(this.ratings, 'ok')
    if (group === 'jason') {
      this.propagated.of += 1
      if (result.ratings.endUserSeenByRatings === 'jason') this.propagated.seen += 1
    }
  }

  /** Nearest-rank percentile of the latencies so far, in ms (undefined before any). */
  latencyPercentileMs(p) {
    if (this.latenciesMs.length === 0) return undefined
    const sorted = [...this.latenciesMs].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
  }
}

function increment(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1)
}
