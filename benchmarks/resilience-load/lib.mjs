// Shared helpers of the resilience load benchmarks: the built meshlet (run `npx tsc -b
// packages/meshlet` first), loopback endpoints in child processes, a bounded closed loop, and the
// machine line printed with every result.
import { fork } from 'node:child_process'
import os from 'node:os'
import { performance } from 'node:perf_hooks'

/** The built packages, by path: the benchmarks folder does not link `meshlet` itself. */
const dist = (path) => import(new URL(`../../packages/${path}`, import.meta.url).href)
export const meshlet = await dist('meshlet/dist/index.js')

const ENDPOINT = new URL('./endpoint.child.mjs', import.meta.url)

export function machine() {
  const cpus = os.cpus()
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`
}

/** Starts one endpoint process answering `status`; resolves with its port, a request counter and kill(). */
export function startEndpoint(status = 200) {
  const child = fork(ENDPOINT, [String(status)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('message', ({ port }) => {
      resolve({
        port,
        pid: child.pid,
        address: { address: '127.0.0.1', port },
        /** Requests the endpoint has received so far. */
        count: () =>
          new Promise((resolveCount) => {
            child.once('message', (message) => resolveCount(message.count))
            child.send('count')
          }),
        /** SIGKILL: the process dies at once, as a crashed pod does. */
        kill: () => child.kill('SIGKILL'),
        /** Disconnecting makes the child exit by itself. */
        stop: () => {
          if (child.connected) child.disconnect()
        },
      })
    })
  })
}

/**
 * `concurrency` workers each send a call and wait for it, then send the next, until `durationMs`
 * has passed (the last calls finish after it). `send` resolves with a label for the outcome
 * ('200', '503 connect-failure', ...). Returns the calls per label and the elapsed time.
 */
export async function closedLoop({ concurrency, durationMs, send, onSecond }) {
  const outcomes = new Map()
  const startedAt = performance.now()
  const endAt = startedAt + durationMs
  let nextSecond = startedAt + 1000
  let completed = 0
  const worker = async () => {
    while (performance.now() < endAt) {
      let label
      try {
        label = await send()
      } catch (error) {
        label = `rejected ${error?.name ?? 'error'}`
      }
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1)
      completed += 1
      const now = performance.now()
      if (now >= nextSecond) {
        nextSecond += 1000
        onSecond?.(Math.round((now - startedAt) / 1000), completed)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { outcomes, completed, elapsedMs: performance.now() - startedAt }
}

/** The label closedLoop counts for a mesh.fetch answer: its status and x-meshlet-reason. */
export async function outcomeOf(response) {
  await response.arrayBuffer()
  const reason = response.headers.get('x-meshlet-reason')
  return reason === null ? String(response.status) : `${response.status} ${reason}`
}
