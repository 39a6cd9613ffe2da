#!/usr/bin/env node
// Per-call cost of a timeout: meshlet's shared deadline scheduler (one timer for the process, a
// heap entry per call, an AbortSignal only if someone reads it) against cockatiel's timeout()
// (a timer and an AbortController per call) and a hand-written setTimeout + AbortSignal listener.
// Then the cost of the whole resilience stack per call (route timeout, retry, per-try timeout,
// pool limits, outlier recorder), with a handler that answers at once. Not a test: the figures
// depend on the machine (here, 2 cores shared with other work).
//   npx tsc -b packages/resilience && node benchmarks/resilience/timeout-cost.mjs
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { formatNs } from '../lib/measure.mjs'
import { cockatiel, core, machine, measureAsync, resilience } from './lib.mjs'

const { createTimeoutLayer, createRetryLayer, createPerTryTimeoutLayer, createPoolLayer, createOutlierLayer, ClusterResourceRegistry, OutlierRegistry, DEFAULT_CONNECTION_POOL } = resilience
const { compose } = core

const TIMEOUT_MS = 5_000
const ok = { status: 200, headers: {}, localReason: undefined }
const answer = async () => ok

/**
 * The smallest adapter the generic layers accept (no bodies). Contexts keep one shape: every key a
 * layer sets is there from the start, as V8 is slow to spread an object into one with a new key.
 */
const adapter = {
  method: () => 'GET',
  responseOutcome: (res) => ({ kind: 'response', status: res.status, header: () => undefined, localReason: res.localReason }),
  failureOutcome: () => undefined,
  failureError: (reason) => new Error(reason),
  localReply: (status, reason) => ({ status, headers: { 'x-meshlet-reason': reason }, localReason: reason }),
  discardResponse: () => {},
  deadlineOf: (context) => context.deadlineMs,
  cancellationOf: (context) => context.cancellation,
  withDeadline: (context, deadlineMs, cancellation) => ({ ...context, deadlineMs, cancellation }),
  withTry: (context, attempt, tried) => ({ ...context, attempt, tried }),
}

const outlierDetection = { consecutive5xxErrors: 5, consecutiveGatewayErrors: 0, consecutiveLocalOriginFailures: 5, splitExternalLocalOriginErrors: false, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 10, minHealthPercent: 0, httpErrorCodes: undefined }
const retries = { attempts: 2, perTryTimeoutMs: 1000, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'], retriableStatusCodes: [], avoidPreviousHosts: true, backoffBaseMs: 25, backoffMaxMs: 250 }
const cluster = { key: 'outbound|9080||reviews', connectionPool: DEFAULT_CONNECTION_POOL, retryBudget: undefined }
const outlierPolicy = { key: cluster.key, outlierDetection }

const cases = []

cases.push(['no timeout (the handler alone)', answer])

{
  const policy = cockatiel.timeout(TIMEOUT_MS, cockatiel.TimeoutStrategy.Cooperative)
  cases.push(["cockatiel timeout() (cooperative)", () => policy.execute(answer)])
  const aggressive = cockatiel.timeout(TIMEOUT_MS, cockatiel.TimeoutStrategy.Aggressive)
  cases.push(["cockatiel timeout() (aggressive)", () => aggressive.execute(answer)])
}

cases.push([
  'setTimeout + AbortController + listener per call',
  () => {
    const controller = new AbortController()
    const onAbort = () => {}
    controller.signal.addEventListener('abort', onAbort)
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS)
    return answer().finally(() => {
      clearTimeout(timer)
      controller.signal.removeEventListener('abort', onAbort)
    })
  },
])

{
  const handler = createTimeoutLayer({ adapter, timeoutOf: () => TIMEOUT_MS })(answer)
  const context = { deadlineMs: undefined, cancellation: undefined, attempt: 0, tried: undefined }
  cases.push(['meshlet route timeout (shared deadline scheduler)', () => handler(undefined, context)])
}

{
  const resources = new ClusterResourceRegistry()
  const outliers = new OutlierRegistry()
  const handler = compose(
    createTimeoutLayer({ adapter, timeoutOf: () => TIMEOUT_MS }),
    createRetryLayer({ adapter, policyOf: () => retries, clusterOf: () => cluster, registry: resources }),
    createPerTryTimeoutLayer({ adapter, perTryTimeoutOf: () => retries.perTryTimeoutMs }),
    createPoolLayer({ adapter, clusterOf: () => cluster, registry: resources }),
    createOutlierLayer({ adapter, registry: outliers, clusterOf: () => outlierPolicy, endpointOf: () => '10.0.0.1:9080' }),
  )(answer)
  const context = { deadlineMs: undefined, cancellation: undefined, attempt: 0, tried: undefined }
  cases.push(['meshlet full stack, generic adapter (5 layers)', () => handler(undefined, context)])
  const bare = compose(
    createRetryLayer({ adapter, policyOf: () => retries, clusterOf: () => cluster, registry: resources }),
    createPoolLayer({ adapter, clusterOf: () => cluster, registry: resources }),
    createOutlierLayer({ adapter, registry: outliers, clusterOf: () => outlierPolicy, endpointOf: () => '10.0.0.1:9080' }),
  )(answer)
  cases.push(['meshlet retry + pool + outlier, no timeouts', () => bare(undefined, context)])
}

// Each case runs in a process of its own, so call sites shared by the cases (the measuring loop,
// the adapter) stay monomorphic, as they are in a real process that uses one of them.
const only = process.argv[2]
if (only !== undefined) {
  const [, call] = cases[Number(only)]
  const result = await measureAsync({ call })
  process.stdout.write(JSON.stringify(result))
  process.exit(0)
}

console.log(machine())
console.log(`each case in its own process: 9 rounds of 20,000 sequential calls after 3 warm-up rounds; timeout ${TIMEOUT_MS} ms (never fires)\n`)
const rows = []
for (let index = 0; index < cases.length; index++) {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(index)], { encoding: 'utf8', timeout: 120_000 })
  const { medianNs, p99Ns } = JSON.parse(output)
  rows.push([cases[index][0], formatNs(medianNs), formatNs(p99Ns)])
}
const table = [['per call', 'median', 'p99'], ...rows]
const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)))
for (const r of table) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
process.exit(0)
