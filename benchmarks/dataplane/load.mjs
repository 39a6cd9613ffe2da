// A closed-loop load generator: `concurrency` workers each send a request, read the whole answer,
// and send the next, for `durationMs`. Records every request's latency (send to last body byte).
import { PerformanceObserver, constants, performance } from 'node:perf_hooks'

/** Runs `send` in a closed loop; resolves with the requests completed, errors, sorted latencies (µs) and client CPU µs per request. */
export async function closedLoop(send, { concurrency, durationMs }) {
  const latenciesUs = []
  let errors = 0
  const endAt = performance.now() + durationMs
  const worker = async () => {
    while (performance.now() < endAt) {
      const startedAt = performance.now()
      try {
        await send()
        latenciesUs.push((performance.now() - startedAt) * 1000)
      } catch {
        errors += 1
      }
    }
  }
  // Young-generation collections during the run: with a fixed nursery size, scavenges per request
  // track bytes allocated per request, the source of GC pauses in the tail.
  let scavenges = 0
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1
  })
  gcObserver.observe({ entryTypes: ['gc'] })
  const startedAt = performance.now()
  const cpuBefore = process.cpuUsage()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const cpu = process.cpuUsage(cpuBefore)
  const elapsedMs = performance.now() - startedAt
  // gc entries are delivered asynchronously: let the observer see the last ones.
  await new Promise((resolve) => setImmediate(resolve))
  gcObserver.disconnect()
  latenciesUs.sort((a, b) => a - b)
  // CPU time of this process per request (user + system, GC included): unlike throughput, it
  // hardly moves when other work shares the machine, so it compares clients on a busy host.
  const cpuUsPerRequest = latenciesUs.length === 0 ? Number.NaN : (cpu.user + cpu.system) / latenciesUs.length
  const scavengesPer10k = latenciesUs.length === 0 ? Number.NaN : (scavenges * 10_000) / latenciesUs.length
  return { completed: latenciesUs.length, errors, elapsedMs, latenciesUs, cpuUsPerRequest, scavengesPer10k }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
