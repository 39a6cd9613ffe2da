let lastGeneration = 0

/** Snapshots are numbered in the order they are compiled in this process (1, 2, ...). */
export function nextGeneration(): number {
  lastGeneration += 1
  return lastGeneration
}
