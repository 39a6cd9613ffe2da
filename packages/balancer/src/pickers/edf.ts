import type { Host } from '../endpoint/host.js'
import type { Picker } from './picker.js'

/**
 * Earliest-deadline-first schedule, Envoy's weighted round robin (EdfScheduler): each host is due
 * every 1/weight; the earliest deadline is picked and due again 1/weight later, with the weight read
 * at that moment (so slow start and active requests can change it). Ties go to the host queued
 * first, which makes the sequence deterministic and smooth: weights 2:1 give A B A A B A ...
 */
export class EdfPicker<E> implements Picker<E> {
  private readonly deadlines: Float64Array
  private readonly order: Float64Array
  /** Binary min-heap of host indices ordered by (deadline, order). */
  private readonly heap: Int32Array
  private queued = 0

  constructor(
    private readonly hosts: readonly Host<E>[],
    private readonly weightOf: (index: number) => number,
  ) {
    const count = hosts.length
    this.deadlines = new Float64Array(count)
    this.order = new Float64Array(count)
    this.heap = new Int32Array(count)
    for (let index = 0; index < count; index++) {
      this.deadlines[index] = 1 / positive(weightOf(index))
      this.order[index] = this.queued++
      this.heap[index] = index
    }
    for (let index = (count >>> 1) - 1; index >= 0; index--) this.siftDown(index)
  }

  pick(): Host<E> | undefined {
    if (this.hosts.length === 0) return undefined
    const index = this.heap[0]!
    this.deadlines[index] = this.deadlines[index]! + 1 / positive(this.weightOf(index))
    this.order[index] = this.queued++
    this.siftDown(0)
    return this.hosts[index]
  }

  private before(a: number, b: number): boolean {
    const da = this.deadlines[a]!
    const db = this.deadlines[b]!
    // Deadlines are positive sums of 1/weight; treat float drift as a tie so the order stays exact.
    const tolerance = TIE_TOLERANCE * (db > 1 ? db : 1)
    const difference = da - db
    if (difference < -tolerance) return true
    if (difference > tolerance) return false
    return this.order[a]! < this.order[b]!
  }

  private siftDown(start: number): void {
    const heap = this.heap
    const length = heap.length
    let position = start
    const item = heap[position]!
    for (;;) {
      const left = 2 * position + 1
      if (left >= length) break
      const right = left + 1
      const child = right < length && this.before(heap[right]!, heap[left]!) ? right : left
      if (!this.before(heap[child]!, item)) break
      heap[position] = heap[child]!
      position = child
    }
    heap[position] = item
  }
}

const TIE_TOLERANCE = 1e-9

/** A weight of 0 (or less) would never be due; keep it tiny but schedulable. */
function positive(weight: number): number {
  return weight > 1e-9 ? weight : 1e-9
}
