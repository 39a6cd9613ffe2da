/**
 * Something worth telling about a call that its answer does not show: a fault delay, a retry and
 * why, an endpoint its try got ejected. The layers that make them happen note them on the call
 * (CallContext.note); telemetry turns them into span events and response flags. Nothing is noted,
 * and nothing allocated, on a call where none happens.
 */
export type CallNote =
  /** The fault layer delayed the call (Envoy's DI flag). */
  | { readonly kind: 'fault-delay'; readonly delayMs: number }
  /** The fault layer aborted the call with this status (Envoy's FI flag). */
  | { readonly kind: 'fault-abort'; readonly status: number; readonly grpcStatus: string | undefined }
  /** A try was retried: `attempt` is the retry's attempt number; `outcome` what the try before it got. */
  | { readonly kind: 'retry'; readonly attempt: number; readonly backoffMs: number; readonly outcome: string }
  /** The retry layer stopped retrying a try its policy called retryable (Envoy's URX when attempts or budget ran out). */
  | { readonly kind: 'retries-ended'; readonly reason: 'attempts-exhausted' | 'budget-exhausted' | 'body-too-large' | 'deadline' | 'cancelled' }
  /** Outlier detection ejected the endpoint of try `attempt` because of that try. */
  | { readonly kind: 'endpoint-ejected'; readonly attempt: number; readonly endpoint: string }

/** A note with the time (clock scale) it was made. */
export type TimedNote = CallNote & { readonly atMs: number }
