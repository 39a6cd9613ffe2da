import type { LoadTracker } from '../load/load-metric.js'
import type { Locality } from '../locality/locality.js'

/**
 * The balancer's record of one endpoint: identity, static weight, place, and what it has learned
 * (calls in flight, load, slow start, ejection). It outlives endpoint-list updates that keep the
 * endpoint, so in-flight counts and latency estimates survive a snapshot swap.
 */
export class Host<E> {
  /** Calls in flight (onStart without onFinish yet). */
  active = 0
  /** Set by the outlier detector through `setEjected`. */
  ejected = false
  /** Slow start begins here; undefined = not warming. */
  warmStartMs: number | undefined
  /** Compacted priority (0 = most preferred). */
  priority = 0

  constructor(
    readonly key: string,
    public endpoint: E,
    public weight: number,
    public locality: Locality,
    public localityKey: string,
    public labels: Readonly<Record<string, string>>,
    readonly load: LoadTracker,
  ) {}
}
