import { seededRandom, type Random } from '@meshlet/core'
import { createBalancer, type Balancer } from '../balancer/create-balancer.js'
import type { PickContext } from '../balancer/context.js'
import { defaultEndpointKey } from '../endpoint/endpoint.js'
import { upperBound } from '../internal/search.js'
import { sampleLatency } from './latency.js'
import { SimulatedOutlierDetector } from './outlier.js'
import { SimulatedPool } from './pool.js'
import type { SimulatedDestination, SimulatedEndpoint, SimulationScenario } from './scenario.js'
import { NumberList, summarize, type LatencySummary } from './stats.js'
import { VirtualClock } from './virtual-clock.js'

export interface EndpointReport {
  readonly key: string
  readonly locality: string | undefined
  /** Tries this endpoint received (retries included). */
  readonly tries: number
  /** Its share of the destination's tries. */
  readonly share: number
  readonly failures: number
  readonly latency: LatencySummary
}

export interface DestinationReport {
  readonly name: string
  readonly algorithm: string
  /** Requests routed to this destination. */
  readonly requests: number
  readonly failed: number
  /** Requests for which the balancer had no endpoint (503 no healthy upstream). */
  readonly unrouted: number
  /** Requests answered 504: the route timeout, or the per-try timeout of the last try. */
  readonly timedOut: number
  /** Requests refused by the connection pool limits (local 503, never retried). */
  readonly overflowed: number
  /** Requests answered by an injected fault abort. */
  readonly aborted: number
  readonly ejections: number
  readonly latency: LatencySummary
  readonly endpoints: readonly EndpointReport[]
}

export interface SimulationReport {
  readonly seed: number
  readonly requests: number
  readonly concurrency: number
  /** Virtual time the run took. */
  readonly durationMs: number
  readonly succeeded: number
  /** Requests whose last try failed (a 5xx answer). */
  readonly failed: number
  readonly unrouted: number
  /** 504s: the route timeout fired, or the last try ran over its per-try timeout. */
  readonly timedOut: number
  /** Local 503s of the connection pool limits. */
  readonly overflowed: number
  /** Local answers of fault injection aborts. */
  readonly aborted: number
  /** Requests held by a fault injection delay before they were routed. */
  readonly delayed: number
  readonly retries: number
  /** Whole-request latency, retries included. */
  readonly latency: LatencySummary
  readonly destinations: readonly DestinationReport[]
}

interface EndpointRun {
  readonly spec: SimulatedEndpoint
  readonly key: string
  busy: number
  readonly queue: Array<() => void>
  tries: number
  failures: number
  readonly latencies: NumberList
}

interface DestinationRun {
  readonly spec: SimulatedDestination
  readonly balancer: Balancer<SimulatedEndpoint>
  readonly endpoints: Map<string, EndpointRun>
  readonly present: Set<string>
  readonly detector: SimulatedOutlierDetector<SimulatedEndpoint> | undefined
  readonly pool: SimulatedPool
  requests: number
  failed: number
  unrouted: number
  timedOut: number
  overflowed: number
  aborted: number
  readonly latencies: NumberList
}

type Outcome = 'ok' | 'failed' | 'unrouted' | 'timedOut' | 'overflowed' | 'aborted'

/**
 * Runs a scenario to the end in virtual time: `concurrency` clients each send a request, wait for
 * its answer (retries included), pause `thinkTimeMs`, and send the next, until `requests` were
 * sent. Every pick goes through the same balancer code the data plane uses. Workload and balancer
 * draw from two random streams of the seed, so algorithms compared on one seed see the same
 * requests, and the same seed always gives the same report.
 */
export function simulate(scenario: SimulationScenario): SimulationReport {
  const seed = scenario.seed ?? 1
  const clock = new VirtualClock()
  const workload = seededRandom(seed)
  const balancerRandom = seededRandom((seed ^ 0x5bd1e995) >>> 0)
  const hashKeys = scenario.hashKeys ?? 1_000
  const destinations = scenario.destinations.map((spec) => startDestination(spec, scenario, clock, balancerRandom))
  if (destinations.length === 0) throw new RangeError('simulate: a scenario needs at least one destination')
  const cumulativeWeights = new Float64Array(destinations.length)
  let totalWeight = 0
  destinations.forEach((run, index) => (cumulativeWeights[index] = totalWeight += Math.max(0, run.spec.weight ?? 1)))
  const latencies = new NumberList()
  let issued = 0
  let retryCount = 0
  let lastAnswerMs = 0

  const counts = { succeeded: 0, failed: 0, unrouted: 0, timedOut: 0, overflowed: 0, aborted: 0, delayed: 0 }
  const route = scenario.route
  const nextRequest = (): void => {
    if (issued >= scenario.requests) return
    issued++
    const destination = destinations[Math.min(upperBound(cumulativeWeights, workload() * totalWeight), destinations.length - 1)]!
    destination.requests++
    const key = `user-${Math.floor(workload() * hashKeys)}`
    const attempted: SimulatedEndpoint[] = []
    let cookie: string | undefined
    const context: PickContext<SimulatedEndpoint> = {
      header: () => key,
      query: () => key,
      cookie: () => cookie ?? key,
      sourceIp: key,
      setCookie: (generated) => (cookie = generated.value),
      attempted,
      avoidAttempted: destination.spec.retries?.avoidPreviousHosts !== false,
    }
    const retries = destination.spec.retries
    const pool = destination.pool
    const startedAtMs = clock.now()
    let settled = false
    let routeTimer: ReturnType<VirtualClock['setTimeout']> | undefined
    // What a route timeout must stop: the try in flight, a place in the pool's queue, a held retry.
    let abandonTry: (() => void) | undefined
    let leaveQueue: (() => void) | undefined
    let retryHeld = false
    const releaseRetry = (): void => {
      if (retryHeld) pool.retryEnded()
      retryHeld = false
    }
    const finish = (outcome: Outcome): void => {
      if (settled) return
      settled = true
      if (routeTimer !== undefined) clock.clearTimeout(routeTimer)
      leaveQueue?.()
      releaseRetry()
      const elapsedMs = clock.now() - startedAtMs
      lastAnswerMs = clock.now()
      latencies.push(elapsedMs)
      destination.latencies.push(elapsedMs)
      if (outcome === 'ok') counts.succeeded++
      else {
        counts[outcome]++
        destination[outcome]++
      }
      clock.setTimeout(nextRequest, scenario.thinkTimeMs ?? 0)
    }
    const afterFailure = (attempt: number, endpoint: SimulatedEndpoint, kind: 'failure' | 'perTryTimeout'): void => {
      const retryable = kind === 'failure' ? retries?.retryOn?.failure !== false : retries?.retryOn?.perTryTimeout !== false
      if (retryable && attempt < (retries?.attempts ?? 0) && pool.tryRetry()) {
        retryCount++
        retryHeld = true
        attempted.push(endpoint)
        clock.setTimeout(() => tryOnce(attempt + 1), backoffMs(retries!, attempt + 1, workload))
        return
      }
      finish(kind === 'failure' ? 'failed' : 'timedOut')
    }
    const tryOnce = (attempt: number): void => {
      if (settled) return
      leaveQueue = pool.acquire(
        () => {
          leaveQueue = undefined
          startTry(attempt)
        },
        () => finish('overflowed'),
      )
    }
    const startTry = (attempt: number): void => {
      const endpoint = destination.balancer.pick(context)
      if (endpoint === undefined) {
        pool.release()
        return finish('unrouted')
      }
      const run = destination.endpoints.get(defaultEndpointKey(endpoint))!
      destination.balancer.onStart(endpoint)
      const triedAtMs = clock.now()
      let tryEnded = false
      let perTryTimer: ReturnType<VirtualClock['setTimeout']> | undefined
      // The try ends once: with the endpoint's answer, or cut off by a timeout (the endpoint
      // still finishes the work it was given, as an upstream does when the caller resets).
      const endTry = (result: 'success' | 'failure'): boolean => {
        if (tryEnded) return false
        tryEnded = true
        abandonTry = undefined
        if (perTryTimer !== undefined) clock.clearTimeout(perTryTimer)
        pool.release()
        releaseRetry()
        const elapsedMs = clock.now() - triedAtMs
        destination.balancer.onFinish(endpoint, elapsedMs, result)
        run.tries++
        run.latencies.push(elapsedMs)
        if (result === 'failure') run.failures++
        destination.detector?.record(endpoint, result === 'failure')
        return true
      }
      abandonTry = () => endTry('failure')
      if (retries?.perTryTimeoutMs !== undefined) {
        perTryTimer = clock.setTimeout(() => {
          if (endTry('failure')) afterFailure(attempt, endpoint, 'perTryTimeout')
        }, retries.perTryTimeoutMs)
      }
      serve(run, workload, clock, (didFail) => {
        if (!endTry(didFail ? 'failure' : 'success')) return
        if (!didFail) return finish('ok')
        afterFailure(attempt, endpoint, 'failure')
      })
    }
    const route_ = (): void => {
      if (route?.fault?.abort !== undefined && workload() * 100 < route.fault.abort.percentage) return finish('aborted')
      if (route?.timeoutMs !== undefined) {
        routeTimer = clock.setTimeout(() => {
          abandonTry?.()
          finish('timedOut')
        }, route.timeoutMs)
      }
      tryOnce(0)
    }
    // Envoy's fault filter runs before the router: the delay is not part of any timeout.
    const delay = route?.fault?.delay
    if (delay !== undefined && workload() * 100 < delay.percentage) {
      counts.delayed++
      clock.setTimeout(route_, delay.fixedDelayMs)
    } else route_()
  }

  for (const event of scenario.timeline ?? []) clock.setTimeout(() => applyEvent(destinations, event), event.atMs)
  for (const run of destinations)
    for (const endpoint of run.endpoints.values())
      if ((endpoint.spec.joinAtMs ?? 0) > 0) clock.setTimeout(() => applyEvent([run], { action: 'add', endpoint: endpoint.key }), endpoint.spec.joinAtMs!)
  for (let client = 0; client < scenario.concurrency; client++) clock.setTimeout(nextRequest, 0)
  while (clock.runNext()) {}

  return {
    seed,
    requests: issued,
    concurrency: scenario.concurrency,
    durationMs: lastAnswerMs,
    ...counts,
    retries: retryCount,
    latency: summarize(latencies.view()),
    destinations: destinations.map(destinationReport),
  }
}

function startDestination(spec: SimulatedDestination, scenario: SimulationScenario, clock: VirtualClock, random: Random): DestinationRun {
  const endpoints = new Map<string, EndpointRun>()
  for (const endpoint of spec.endpoints) {
    const key = defaultEndpointKey(endpoint)
    endpoints.set(key, { spec: endpoint, key, busy: 0, queue: [], tries: 0, failures: 0, latencies: new NumberList() })
  }
  const present = new Set([...endpoints.values()].filter((run) => (run.spec.joinAtMs ?? 0) <= 0).map((run) => run.key))
  const balancer = createBalancer<SimulatedEndpoint>(
    spec.loadBalancer,
    [...present].map((key) => endpoints.get(key)!.spec),
    { ...scenario.balancerOptions, clock, random, outlierDetectionEnabled: spec.outlierDetection !== undefined },
  )
  const detector =
    spec.outlierDetection === undefined
      ? undefined
      : new SimulatedOutlierDetector<SimulatedEndpoint>(spec.outlierDetection, clock, () => present.size, (endpoint, ejected) => balancer.setEjected(endpoint, ejected))
  const pool = new SimulatedPool(spec.connectionPool)
  return { spec, balancer, endpoints, present, detector, pool, requests: 0, failed: 0, unrouted: 0, timedOut: 0, overflowed: 0, aborted: 0, latencies: new NumberList() }
}

/**
 * Envoy's jittered exponential backoff before retry `retry` (1 for the first): a uniform draw in
 * [0, (2^retry - 1) × base), the upper end capped at the maximum (router filter doc,
 * x-envoy-max-retries). No wait when the scenario gives no base.
 */
function backoffMs(retries: NonNullable<SimulatedDestination['retries']>, retry: number, random: Random): number {
  const baseMs = retries.backoffBaseMs
  if (baseMs === undefined || baseMs <= 0) return 0
  const ceilingMs = Math.min((2 ** retry - 1) * baseMs, retries.backoffMaxMs ?? baseMs * 10)
  return random() * ceilingMs
}

/** Runs one call on a simulated endpoint, queueing it when the endpoint is at its concurrency. */
function serve(run: EndpointRun, random: Random, clock: VirtualClock, done: (failed: boolean) => void): void {
  const start = (): void => {
    run.busy++
    const serviceMs = sampleLatency(run.spec.latency, random)
    const failed = random() < (run.spec.failureRate ?? 0)
    clock.setTimeout(() => {
      run.busy--
      run.queue.shift()?.()
      done(failed)
    }, serviceMs)
  }
  if (run.busy < (run.spec.concurrency ?? Infinity)) start()
  else run.queue.push(start)
}

function applyEvent(destinations: readonly DestinationRun[], event: { readonly action: string; readonly destination?: string | undefined; readonly endpoint: string }): void {
  const run = event.destination === undefined ? destinations[0] : destinations.find((candidate) => candidate.spec.name === event.destination)
  const endpoint = run?.endpoints.get(event.endpoint)
  if (run === undefined || endpoint === undefined) throw new RangeError(`simulate: no endpoint ${event.endpoint} in ${event.destination ?? 'the first destination'}`)
  switch (event.action) {
    case 'eject':
    case 'return':
      run.balancer.setEjected(endpoint.spec, event.action === 'eject')
      return
    case 'remove':
    case 'add':
      if (event.action === 'add') run.present.add(endpoint.key)
      else run.present.delete(endpoint.key)
      run.balancer.setEndpoints([...run.endpoints.values()].filter((candidate) => run.present.has(candidate.key)).map((candidate) => candidate.spec))
  }
}

function destinationReport(run: DestinationRun): DestinationReport {
  const totalTries = [...run.endpoints.values()].reduce((sum, endpoint) => sum + endpoint.tries, 0)
  return {
    name: run.spec.name,
    algorithm: run.balancer.algorithm,
    requests: run.requests,
    failed: run.failed,
    unrouted: run.unrouted,
    timedOut: run.timedOut,
    overflowed: run.overflowed,
    aborted: run.aborted,
    ejections: run.detector?.ejections ?? 0,
    latency: summarize(run.latencies.view()),
    endpoints: [...run.endpoints.values()].map((endpoint) => ({
      key: endpoint.key,
      locality: endpoint.spec.locality,
      tries: endpoint.tries,
      share: totalTries === 0 ? 0 : Math.round((endpoint.tries / totalTries) * 10_000) / 10_000,
      failures: endpoint.failures,
      latency: summarize(endpoint.latencies.view()),
    })),
  }
}
