import type { MeshRequest } from '../http/request.js'
import type { MeshResponse } from '../http/response.js'
import type { Classifier } from '../outcome/verdict.js'
import type { CallContext } from './call-context.js'
import type { TryHandler } from './handlers.js'
import type { TryState } from './try-state.js'

/**
 * The executor of one try (cockatiel's single executor, Finagle's ResponseClassifier applied in one
 * place): runs the per-try stack, turns what came back into the try's one outcome and verdict with
 * the route's classifier, and tells the observers the layers left. The only promise a try adds over
 * its transport: the per-try layers act on the way down and observe on the way up.
 */
export function runTry<Call extends CallContext>(tries: TryHandler<Call>, request: MeshRequest, state: TryState<Call>, classify: Classifier): Promise<MeshResponse> {
  let answer: Promise<MeshResponse>
  try {
    answer = tries(request, state)
  } catch (error) {
    answer = Promise.reject(error)
  }
  return answer.then(
    (response) => state.endWithResponse(response, classify),
    (error: unknown) => {
      state.endWithError(error, classify)
      throw error
    },
  )
}
