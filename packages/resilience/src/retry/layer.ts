import { systemClock, systemRandom } from '@meshlet/core'
import type { CallOutcome, Clock, Layer, Random, TypedEmitter } from '@meshlet/core'
import type { CallAdapter, RequestReplay } from '../call/adapter.js'
import { describeOutcome } from '../call/describe.js'
import { remainingMs } from '../deadline/deadline.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import type { ClusterLimits, ClusterResourceRegistry } from '../pool/registry.js'
import type { ClusterResources } from '../pool/resources.js'
import { fullJitterBackoffMs } from './backoff.js'
import type { GiveUpReason, RetryEvents } from './events.js'
import { RETRY_DEFAULTS } from './policy.js'
import type { RetryPolicyConfig } from './policy.js'
import { retryConditionsFor, retryDecision } from './retry-on.js'
import { TriedEndpoints } from './tried-endpoints.js'

export type RetryAdapter<Req, Res, Ctx> = Pick<
  CallAdapter<Req, Res, Ctx>,
  'method' | 'responseOutcome' | 'failureOutcome' | 'failureError' | 'discardResponse' | 'deadlineOf' | 'cancellationOf' | 'withTry' | 'replayOf'
>

export interface RetryLayerOptions<Req, Res, Ctx> {
  readonly adapter: RetryAdapter<Req, Res, Ctx>
  /** The retry policy of this call's route (Istio's default when it has none); undefined = one try. */
  readonly policyOf: (request: Req, context: Ctx) => RetryPolicyConfig | undefined
  /** The destination cluster, whose retry budget and http.maxRetries bound retries in flight. */
  readonly clusterOf?: ((request: Req, context: Ctx) => ClusterLimits | undefined) | undefined
  /** The counters shared with the pool layer; without it only `attempts` bounds retries. */
  readonly registry?: ClusterResourceRegistry | undefined
  readonly clock?: Clock | undefined
  readonly random?: Random | undefined
  readonly scheduler?: DeadlineScheduler | undefined
  /** Largest request body kept for replay (default 1 MiB). */
  readonly replayLimitBytes?: number | undefined
  /** A retry needs at least this much time left after its backoff (default 5 ms). */
  readonly minRemainingForRetryMs?: number | undefined
  readonly events?: TypedEmitter<RetryEvents> | undefined
}

/**
 * Retries a call as Envoy's router does. The policy decides (retryOn through retryDecision; budget
 * through the cluster's resources) and this layer acts: it waits a fully jittered backoff on the
 * shared deadline scheduler and tries again, each try with the endpoints tried so far so the
 * balancer below can pick another. It sits below the route timeout, which bounds every try and
 * backoff, and above the balancer. A retry is not started when the attempts are used up, the body
 * cannot be replayed, the call was cancelled, or the cluster's retry budget is spent; the last
 * answer is then returned as it is and `giveUp` says why. When the deadline is the reason to stop
 * (too little time would be left after the backoff) the call ends as the route timeout ends it,
 * with a `timeout` failure (a 504), as Envoy answers when its global timeout fires while retrying.
 */
export function createRetryLayer<Req, Res, Ctx>(options: RetryLayerOptions<Req, Res, Ctx>): Layer<Req, Res, Ctx> {
  const { adapter, policyOf, clusterOf, registry, events } = options
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const scheduler = options.scheduler ?? schedulerFor(clock)
  const replayLimitBytes = options.replayLimitBytes ?? RETRY_DEFAULTS.replayLimitBytes
  const minRemainingMs = options.minRemainingForRetryMs ?? RETRY_DEFAULTS.minRemainingForRetryMs

  const giveUp = (request: Req, resources: ClusterResources | undefined, tries: number, reason: GiveUpReason, outcome: CallOutcome): void => {
    if (events === undefined || events.listenerCount('giveUp') === 0) return
    events.emit('giveUp', { cluster: resources?.key, method: adapter.method(request), tries, reason, outcome: describeOutcome(outcome) })
  }

  return (next) => async (request, context) => {
    const policy = policyOf(request, context)
    if (policy === undefined || policy.attempts <= 0) return next(request, context)

    const conditions = retryConditionsFor(policy)
    const replay: RequestReplay<Req> = adapter.replayOf?.(request, replayLimitBytes) ?? new AsIs(request)
    const tried = new TriedEndpoints(policy.avoidPreviousHosts)
    const cluster = registry === undefined ? undefined : clusterOf?.(request, context)
    const resources = cluster === undefined ? undefined : registry!.resourcesFor(cluster)
    const cancellation = adapter.cancellationOf(context, request)
    let retries = 0
    let holdingRetry = false

    try {
      for (;;) {
        let response: Res | undefined
        let error: unknown
        let outcome: CallOutcome
        try {
          response = await next(replay.requestForTry(), adapter.withTry(context, retries, tried))
          outcome = adapter.responseOutcome(response)
        } catch (thrown) {
          const failure = adapter.failureOutcome(thrown)
          if (failure === undefined) throw thrown
          error = thrown
          outcome = failure
        } finally {
          // Envoy holds a retry's slot from the decision until the retried try ends (RetryStateImpl::resetRetry).
          if (holdingRetry) {
            resources!.endRetry()
            holdingRetry = false
          }
        }

        if (retryDecision(conditions, outcome) !== 'retryable-failure') {
          if (response !== undefined) return response
          throw error
        }
        const answer = (): Res => {
          if (response !== undefined) return response
          throw error
        }

        const tries = retries + 1
        if (retries >= policy.attempts) {
          giveUp(request, resources, tries, 'attempts-exhausted', outcome)
          return answer()
        }
        const blocked = replay.blockedBy()
        if (blocked !== undefined) {
          giveUp(request, resources, tries, blocked, outcome)
          return answer()
        }
        if (cancellation?.cancelled) {
          giveUp(request, resources, tries, 'cancelled', outcome)
          return answer()
        }
        const backoffMs = fullJitterBackoffMs(retries + 1, policy.backoffBaseMs, policy.backoffMaxMs, random)
        if (remainingMs(adapter.deadlineOf(context), clock.now()) - backoffMs < minRemainingMs) {
          giveUp(request, resources, tries, 'deadline', outcome)
          if (response !== undefined) adapter.discardResponse(response)
          throw adapter.failureError('timeout', outcome.kind === 'response' || outcome.requestSent)
        }
        if (resources !== undefined) {
          if (!resources.tryStartRetry()) {
            giveUp(request, resources, tries, 'budget-exhausted', outcome)
            return answer()
          }
          holdingRetry = true
        }

        if (events !== undefined && events.listenerCount('retry') > 0) {
          events.emit('retry', { cluster: resources?.key, method: adapter.method(request), retry: retries + 1, backoffMs, outcome: describeOutcome(outcome) })
        }
        if (backoffMs > 0) await scheduler.sleep(backoffMs, cancellation)
        if (cancellation?.cancelled) {
          // The route timeout or the caller ended the call during the backoff: nobody waits for a retry.
          if (holdingRetry) {
            resources!.endRetry()
            holdingRetry = false
          }
          giveUp(request, resources, tries, 'cancelled', outcome)
          return answer()
        }
        if (response !== undefined) adapter.discardResponse(response)
        retries++
      }
    } finally {
      replay.dispose()
    }
  }
}

/** The replay of a request the adapter sends as it is on every try. */
class AsIs<Req> implements RequestReplay<Req> {
  constructor(private readonly request: Req) {}
  requestForTry(): Req {
    return this.request
  }
  blockedBy(): undefined {
    return undefined
  }
  dispose(): void {}
}
