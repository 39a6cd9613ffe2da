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
