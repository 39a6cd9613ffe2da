import type { Clock } from '../time/clock.js'
import type { MeshHeaders } from '../http/headers.js'
import type { InboundContext } from './inbound.js'
import { pickPropagatedHeaders } from './inbound.js'
import { REQUEST_ID_HEADER, generateRequestId, propagationList } from './propagation.js'
import type { PropagationOptions } from './propagation.js'

/** What an inbound adapter needs of the mesh: its clock and the headers its current rules want handed on. */
export interface InboundMesh {
  readonly clock: Clock
  headersToPropagate(): readonly string[]
}

/** Reads the deadline an inbound request brings, as an absolute time on the mesh clock (@meshlet/resilience `inboundDeadline`). */
export type InboundDeadlineReader = (header: (name: string) => string | undefined, nowMs: number) => number | undefined

/** Node's inbound header map (IncomingHttpHeaders): lower-case names. */
export type InboundHeaderMap = Record<string, string | string[] | undefined>

export interface InboundContextOptions {
  readonly propagate?: PropagationOptions
  /** Makes the id of a request that arrives without x-request-id. Default: a UUID v4, as Envoy. */
  readonly generateRequestId?: () => string
  readonly readDeadline: InboundDeadlineReader
}

/**
 * Returns the function an inbound adapter calls once per request to build its InboundContext:
 * the headers to hand on (the mesh's list for the current rules, with the adapter's add/remove),
 * the deadline the request brings, and its source address. A request without `x-request-id` gets
 * one, written into the inbound headers too, so the handler logs the same id the upstreams see
 * (Envoy adds it to the request before the application sees it).
 */
export function inboundContextFactory(
  mesh: InboundMesh,
  options: InboundContextOptions,
): (headers: InboundHeaderMap, sourceIp: string | undefined) => InboundContext {
  const namesFor = propagationList(options.propagate)
  const newRequestId = options.generateRequestId ?? generateRequestId
  const { readDeadline } = options
  return (headers, sourceIp) => {
    const names = namesFor(mesh.headersToPropagate())
    const propagatedHeaders = pickPropagatedHeaders(headers, names)
    if (propagatedHeaders[REQUEST_ID_HEADER] === undefined && names.includes(REQUEST_ID_HEADER)) {
      const id = newRequestId()
      propagatedHeaders[REQUEST_ID_HEADER] = id
      headers[REQUEST_ID_HEADER] = id
    }
    const deadlineMs = readDeadline((name) => firstValue(headers[name]), mesh.clock.now())
    return { propagatedHeaders, deadlineMs, sourceIp }
  }
}

/**
 * The inbound headers as the data plane's MeshHeaders (one string per name, repeated values
 * joined with ", "), for rule lookups such as CORS. The map itself when no value is a list.
 */
export function meshHeadersOf(headers: InboundHeaderMap): MeshHeaders {
  let joined: Record<string, string> | undefined
  for (const name in headers) {
    const value = headers[name]
    if (typeof value === 'string') continue
    joined ??= { ...(headers as Record<string, string>) }
    if (value === undefined) delete joined[name]
    else joined[name] = value.join(', ')
  }
  return joined ?? (headers as MeshHeaders)
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0]
}
