#!/usr/bin/env node
// Issue 4, benchmark 2: a dependency failing 100% of the time, with and without a retry budget.
// Prints how many upstream tries each caller request costs (goal: ≤ 1.2 with the budget). The
// simulation runs on a virtual clock (deterministic, instant): 50 callers keep requests in flight,
// every try fails with a connect failure after 2 ms, retries follow the route's policy
// (2 retries on connect-failure, 25 ms jittered backoff) and the pool layer counts requests for
// the budget. Runs in well under a second.
//   npx tsc -b packages/resilience && node benchmarks/resilience/retry-budget.mjs
import { core, resilience } from './lib.mjs'

const { createRetryLayer, createPoolLayer, ClusterResourceRegistry, DeadlineScheduler, DEFAULT_CONNECTION_POOL, DEFAULT_RETRY_BUDGET, ISTIO_DEFAULT_RETRY_POLICY } = resilience
const { compose, seededRandom } = core

/** A clock that moves only when told, running due timers in order. */
class VirtualClock {
  #now = 0
  #timers = []
  #sequence = 0
  now() {
    return this.#now
  }
  setTimeout(callback, delayMs) {
    const timer = { at: this.#now + Math.max(0, delayMs), sequence: this.#sequence++, callback, cancelled: false }
    this.#timers.push(timer)
    return timer
  }
  clearTimeout(timer) {
    timer.cancelled = true
  }
  async advance(ms) {
    const target = this.#now + ms
    for (;;) {
      this.#timers = this.#timers.filter((timer) => !timer.cancelled)
      this.#timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence)
      const next = this.#timers[0]
      if (next === undefined || next.at > target) break
      this.#timers.shift()
      this.#now = Math.max(this.#now, next.at)
      next.callback()
      await new Promise((resolve) => setImmediate(resolve))
    }
    this.#now = target
    await new Promise((resolve) => setImmediate(resolve))
  }
}

class Failure extends Error {
  constructor() {
    super('connect failure')
    this.outcome = { kind: 'failure', reason: 'connect-failure', requestSent: false, error: undefined }
  }
}

const adapter = {
  method: () => 'GET',
  responseOutcome: (res) => ({ kind: 'response', status: res.status, header: () => undefined, localReason: res.localReason }),
  failureOutcome: (error) => (error instanceof Failure ? error.outcome : undefined),
  failureError: () => new Failure(),
  localReply: (status, reason) => ({ status, headers: {}, localReason: reason }),
  discardResponse: () => {},
  deadlineOf: () => undefined,
  cancellationOf: () => undefined,
  withDeadline: (context) => context,
  withTry: (context) => context,
}

async function simulate(retryBudget) {
  const clock = new VirtualClock()
  const registry = new ClusterResourceRegistry(clock)
  const cluster = { key: 'outbound|80||failing', connectionPool: DEFAULT_CONNECTION_POOL, retryBudget }
  const CALLERS = 50
  const REQUESTS = 5_000
  let started = 0
  let finished = 0
  let tries = 0
  // Tries are counted at the upstream, below the retry and pool layers.
  const stack = compose(
    createRetryLayer({ adapter, policyOf: () => ISTIO_DEFAULT_RETRY_POLICY, clusterOf: () => cluster, registry, clock, random: seededRandom(7), scheduler: new DeadlineScheduler(clock) }),
    createPoolLayer({ adapter, clusterOf: () => cluster, registry }),
  )(() => {
    tries++
    return new Promise((_, reject) => clock.setTimeout(() => reject(new Failure()), 2))
  })
  const caller = async () => {
    while (started < REQUESTS) {
      started++
      await stack(undefined, {}).catch(() => {})
      finished++
    }
  }
  const callers = Array.from({ length: CALLERS }, caller)
  while (finished < REQUESTS) await clock.advance(1)
  await Promise.all(callers)
  return { requests: REQUESTS, tries, perRequest: tries / REQUESTS, virtualSeconds: clock.now() / 1000 }
}

console.log('A dependency failing every try (connect failure after 2 ms), 50 callers, 5,000 requests,')
console.log("Istio's default retry policy (2 retries on connect-failure), virtual time\n")
for (const [name, budget, goal] of [
  ['no retry budget', undefined, undefined],
  [`retry budget ${DEFAULT_RETRY_BUDGET.percent} %, min ${DEFAULT_RETRY_BUDGET.minRetryConcurrency}`, DEFAULT_RETRY_BUDGET, 1.2],
]) {
  const result = await simulate(budget)
  const verdict = goal === undefined ? '' : result.perRequest <= goal ? `  (goal ≤ ${goal}: ok)` : `  (goal ≤ ${goal}: MISSED)`
  console.log(`  ${name.padEnd(28)} ${result.perRequest.toFixed(2)} upstream tries per request${verdict}`)
}
