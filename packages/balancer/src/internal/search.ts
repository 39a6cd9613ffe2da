/** Index of the first element of an ascending array that is >= target, or length when none is. */
export function lowerBound(sorted: ArrayLike<number>, target: number, length: number = sorted.length): number {
  let low = 0
  let high = length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! < target) low = middle + 1
    else high = middle
  }
  return low
}

/** Index of the first element of an ascending array that is > target, or length when none is. */
export function upperBound(sorted: ArrayLike<number>, target: number, length: number = sorted.length): number {
  let low = 0
  let high = length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! <= target) low = middle + 1
    else high = middle
  }
  return low
}
