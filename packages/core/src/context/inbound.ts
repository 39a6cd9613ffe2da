import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * What an inbound request hands to the outbound calls made while handling it. The Express and
 * Fastify adapters set it; mesh.fetch reads it to copy trace and routing headers and to keep the
 * outbound call within the inbound deadline. This is the header propagation Istio leaves to the
 * application (istio.io docs, "Distributed tracing: trace context propagation").
 */
export interface InboundContext {
  /** Headers to copy onto outbound calls (lower-case names); a header the call sets itself wins. */
  readonly propagatedHeaders: Readonly<Record<string, string>>
  /** Absolute time on the mesh clock by which outbound calls must end, if the inbound request has one. */
  readonly deadlineMs: number | undefined
  /** The peer address of the inbound request (for consistent hash `useSourceIp`). */
  readonly sourceIp: string | undefined
}

/**
 * Headers propagated by default: request id, W3C trace context and baggage, Zipkin B3 (single and
 * multi), and the OpenTracing header Istio's docs list (istio.io "Trace context propagation").
 * The mesh adds every header a loaded VirtualService matches on.
 */
export const DEFAULT_PROPAGATED_HEADERS: readonly string[] = [
  'x-request-id',
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-ot-span-context',
]

/**
 * Headers that carry trace context and nothing about the user: the defaults above, plus the trace
 * headers of other tracers an adapter may be told to hand on (`propagate.add`): AWS X-Ray
 * (x-amzn-trace-id), Google Cloud Trace (x-cloud-trace-context), gRPC's binary trace context
 * (grpc-trace-bin), Jaeger (uber-trace-id), SkyWalking (sw8) and Datadog (x-datadog-*), as Istio's
 * docs list them for trace propagation. These may follow a call anywhere; every other handed-on
 * header goes only to the mesh's own services.
 */
export const TRACE_CONTEXT_HEADERS: ReadonlySet<string> = new Set([
  ...DEFAULT_PROPAGATED_HEADERS,
  'x-amzn-trace-id',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'uber-trace-id',
  'sw8',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'x-datadog-origin',
])

const storage = new AsyncLocalStorage<InboundContext>()

/** Runs `fn` with `context` as the current inbound context (for everything it awaits or schedules). */
export function runWithInboundContext<T>(context: InboundContext, fn: () => T): T {
  return storage.run(context, fn)
}

/** The inbound context of the request being handled, or undefined outside any. */
export function currentInboundContext(): InboundContext | undefined {
  return storage.getStore()
}

/**
 * Picks the headers to propagate from an inbound header map (lower-case names; array values
 * joined with ", "). `names` must be lower case.
 */
export function pickPropagatedHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  names: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) {
    const value = headers[name]
    if (value === undefined) continue
    picked[name] = typeof value === 'string' ? value : value.join(', ')
  }
  return picked
}
