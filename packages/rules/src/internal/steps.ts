/**
 * Work written once as a generator that yields between units (a resource validated, a
 * VirtualService compiled) and run either at once (`runSteps`) or in slices that give the event
 * loop back every few milliseconds (`runStepsInSlices`). A reload in a serving process runs in
 * slices: compiling 10,000 routes takes far longer than any call should wait behind it.
 */
export type Steps<T> = Generator<void, T, void>

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

export async function runStepsInSlices<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  let sliceEnd = performance.now() + sliceMs
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
    if (performance.now() >= sliceEnd) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      sliceEnd = performance.now() + sliceMs
    }
  }
}
