/**
 * Vose's alias method: after an O(n) build, a weighted draw costs one random number and one
 * comparison, whatever the number of entries.
 */
export class AliasTable {
  private readonly probability: Float64Array
  private readonly alias: Int32Array
  readonly size: number

  constructor(weights: readonly number[]) {
    const count = weights.length
    this.size = count
    this.probability = new Float64Array(count)
    this.alias = new Int32Array(count)
    const total = weights.reduce((sum, weight) => sum + weight, 0)
    const scaled = weights.map((weight) => (weight * count) / total)
    const small: number[] = []
    const large: number[] = []
    scaled.forEach((value, index) => (value < 1 ? small : large).push(index))
    while (small.length > 0 && large.length > 0) {
      const less = small.pop()!
      const more = large.pop()!
      this.probability[less] = scaled[less]!
      this.alias[less] = more
      scaled[more] = scaled[more]! + scaled[less]! - 1
      ;(scaled[more]! < 1 ? small : large).push(more)
    }
    // What is left is 1 up to rounding.
    for (const index of large) this.probability[index] = 1
    for (const index of small) this.probability[index] = 1
  }

  /** An index drawn with probability weight / total, from one uniform number in [0, 1). */
  draw(uniform: number): number {
    const scaled = uniform * this.size
    const index = Math.floor(scaled)
    return scaled - index < this.probability[index]! ? index : this.alias[index]!
  }
}
