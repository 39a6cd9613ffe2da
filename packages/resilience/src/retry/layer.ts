import { TryState, UpstreamFailureError, discardBody, isMeshError, isReplayableBody, runTry, systemClock, systemRandom } from '@meshlet/core'
import type { CallContext, CallHandler, CallOutcome, Classifier, Clock, MeshRequest, MeshResponse, Random, TryHandler, TypedEmitter } from '@meshlet/core'
import { describeOutcome } from '../classify/describe.js'
import { remainingMs } from '../deadline/deadline.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import type { ClusterLimits, ClusterResourceRegistry } from '../pool/registry.js'
import type { ClusterResources } from '../pool/resources.js'
import { fullJitterBackoffMs } from './backoff.js'
import type { GiveUpReason, RetryEvents } from './events.js'
import { RETRY_DEFAULTS } from './policy.js'
import type { RetryPolicyConfig } from './policy.js'
import { streamedRequestReplay, valueBodyBlock } from './replay.js'
import type { ReplayBlock, RequestReplay } from './replay.js'

export interface RetryLayerOptions<Call extends CallContext> {
  /** The retry policy of this call's route (Istio's default when it has none); undefined = one try. */
  readonly policyOf: (call: Call) => RetryPolicyConfig | undefined
  /** The route's classifier for this call (its retry policy with the cluster's outlier mode; see classifierFor). */
  readonly classifierOf: (call: Call) => Classifier
  /** The destination cluster, whose retry budget and http.maxRetries bound retries in flight. */
  readonly clusterOf?: ((call: Call) => ClusterLimits | undefined) | undefined
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
 * Retries a call as Envoy's router does; the one place where a call becomes tries. It runs the
 * per-try stack below it once per try through the try executor (runTry), each try with a TryState of
 * its own (attempt, endpoints tried before, the call's cancellation and deadline) judged once by the
 * route's classifier: only a `retryable-failure` is retried. Retries wait a fully jittered backoff on the shared
 * deadline scheduler. A retry is not started when the attempts are used up, the body cannot be
 * replayed or the cluster's retry budget is spent: the last answer is then returned as it is and
 * `giveUp` says why. When the deadline is the reason to stop (too little time would be left after
 * the backoff) or the call is cancelled during a backoff, the call ends with a failure naming the
 * reason (`timeout`: a 504, as Envoy answers when its global timeout fires while retrying).
 */
export function createRetryLayer<Call extends CallContext>(options: RetryLayerOptions<Call>): (tries: TryHandler<Call>) => CallHandler<Call> {
  const { policyOf, classifierOf, clusterOf, registry, events } = options
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const scheduler = options.scheduler ?? schedulerFor(clock)
  const replayLimitBytes = options.replayLimitBytes ?? RETRY_DEFAULTS.replayLimitBytes
  const minRemainingMs = options.minRemainingForRetryMs ?? RETRY_DEFAULTS.minRemainingForRetryMs

  const giveUp = (request: MeshRequest, resources: ClusterResources | undefined, tries: number, reason: GiveUpReason, outcome: CallOutcome | undefined): void => {
    if (events === undefined || events.listenerCount('giveUp') === 0) return
    events.emit('giveUp', { cluster: resources?.key, method: request.method, tries, reason, outcome: outcome === undefined ? 'unknown' : describeOutcome(outcome) })
  }

  return (tryHandler) => {
    /** Tries after the first, which the policy allowed to retry. */
    const retryLoop = async (request: MeshRequest, call: Call, policy: RetryPolicyConfig, replay: RequestReplay | undefined, first: TryState<Call>, firstAnswer: Answer): Promise<MeshResponse> => {
      const cluster = registry === undefined ? undefined : clusterOf?.(call)
      const resources = cluster === undefined ? undefined : registry!.resourcesFor(cluster)
      let state = first
      let answer = firstAnswer
      let holdingRetry = false
      try {
        for (let retries = 0; ; retries++) {
          const tries = retries + 1
          const outcome = state.outcome
          const stop = (reason: GiveUpReason): MeshResponse => {
            call.note({ kind: 'retries-ended', reason })
            giveUp(request, resources, tries, reason, outcome)
            return settle(answer)
          }
          if (retries >= policy.attempts) return stop('attempts-exhausted')
          const blocked: ReplayBlock | undefined = replay === undefined ? valueBodyBlock(request.body as string | Uint8Array | null, replayLimitBytes) : replay.blockedBy()
          if (blocked !== undefined) return stop(blocked)
          const cancellation = call.cancellation
          if (cancellation?.cancelled) return endAs(cancellation.reason!, call, request, resources, tries, outcome, answer)
          const backoffMs = fullJitterBackoffMs(retries + 1, policy.backoffBaseMs, policy.backoffMaxMs, random)
          if (remainingMs(call.deadlineMs, clock.now()) - backoffMs < minRemainingMs) return endAs('timeout', call, request, resources, tries, outcome, answer, 'deadline')
          if (resources !== undefined) {
            if (!resources.tryStartRetry()) return stop('budget-exhausted')
            holdingRetry = true
          }
          const described = outcome === undefined ? 'unknown' : describeOutcome(outcome)
          call.note({ kind: 'retry', attempt: tries, backoffMs, outcome: described })
          if (events !== undefined && events.listenerCount('retry') > 0) {
            events.emit('retry', { cluster: resources?.key, method: request.method, retry: tries, backoffMs, outcome: described })
          }
          if (backoffMs > 0) await scheduler.sleep(backoffMs, cancellation)
          if (cancellation?.cancelled) return endAs(cancellation.reason!, call, request, resources, tries, outcome, answer)
          discardAnswer(answer)
          state = new TryState(call, tries, state.triedWithThis())
          call.lastTry = state
          call.tries = tries + 1
          try {
            answer = await runTry(tryHandler, replay === undefined ? request : replay.requestForTry(), state, classifierOf(call))
          } catch (error) {
            if (!isMeshError(error, 'MESHLET_ERR_UPSTREAM_FAILURE')) throw error
            answer = new Failed(error)
          } finally {
            // Envoy holds a retry's slot from the decision until the retried try ends (RetryStateImpl::resetRetry).
            if (holdingRetry) {
              resources!.endRetry()
              holdingRetry = false
            }
          }
          if (state.verdict?.result !== 'retryable-failure') return settle(answer)
        }
      } finally {
        if (holdingRetry) resources!.endRetry()
        replay?.dispose()
      }
    }

    /** The call ends as its cancellation says (`timeout`, `cancelled`), the last answer dropped. */
    const endAs = (reason: 'timeout' | 'per-try-timeout' | 'cancelled', call: Call, request: MeshRequest, resources: ClusterResources | undefined, tries: number, outcome: CallOutcome | undefined, answer: Answer, giveUpReason: GiveUpReason = 'cancelled'): never => {
      call.note({ kind: 'retries-ended', reason: giveUpReason })
      giveUp(request, resources, tries, giveUpReason, outcome)
      discardAnswer(answer)
      throw new UpstreamFailureError(reason === 'per-try-timeout' ? 'timeout' : reason, true, undefined)
    }

    return (request, call) => {
      const policy = policyOf(call)
      // The first try starts as the call does: no clock read of its own.
      const first = new TryState(call, 0, undefined, call.startedAtMs)
      call.lastTry = first
      call.tries = 1
      const classify = classifierOf(call)
      if (policy === undefined || policy.attempts <= 0) return runTry(tryHandler, request, first, classify)
      // A streamed body is kept (up to the limit) as the first try reads it, so a retry can send it again.
      const replay = isReplayableBody(request.body) ? undefined : streamedRequestReplay(request, replayLimitBytes)
      return runTry(tryHandler, replay === undefined ? request : replay.requestForTry(), first, classify).then(
        (response) => {
          if (first.verdict?.result !== 'retryable-failure') {
            replay?.dispose()
            return response
          }
          return retryLoop(request, call, policy, replay, first, response)
        },
        (error: unknown) => {
          if (!isMeshError(error, 'MESHLET_ERR_UPSTREAM_FAILURE') || first.verdict?.result !== 'retryable-failure') {
            replay?.dispose()
            throw error
          }
          return retryLoop(request, call, policy, replay, first, new Failed(error))
        },
      )
    }
  }
}

/** A try that ended without a response: the error to rethrow if it is the last. */
class Failed {
  constructor(readonly error: unknown) {}
}

type Answer = MeshResponse | Failed

function settle(answer: Answer): MeshResponse {
  if (answer instanceof Failed) throw answer.error
  return answer
}

function discardAnswer(answer: Answer): void {
  if (!(answer instanceof Failed)) discardBody(answer.body)
}
