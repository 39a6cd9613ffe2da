import type { IncomingMessage, ServerResponse } from 'node:http'
import { CallContext, Cancellation, LOCAL_REASONS, discardBody, meshHeadersOf } from '@meshlet/core'
import type { Clock, MeshRequest, MeshResponse, Random, TypedEmitter } from '@meshlet/core'
import type { CompiledGatewayPort } from '@meshlet/rules'
import type { MeshCallContext, MeshHandler } from '../../call-context.js'
import type { Lifecycle } from '../../mesh/lifecycle.js'
import type { Reloader } from '../../mesh/reloader.js'
import type { GatewayEvents } from '../events.js'
import type { ResolvedGatewayLimits } from '../options.js'
import type { GatewayStats } from '../stats.js'
import { BodyTooLargeError, inboundBody } from './body.js'
import { clientAddressOf, forwardedHeaders } from './forwarded.js'
import { responseFlagsOf } from './response-flags.js'
import { writeLocal, writeResponse } from './respond.js'

/** Set by gateway.listen() on each socket: the Gateway server port the listener serves. */
export const DECLARED_PORT = Symbol.for('meshlet.gateway.port')

export interface InboundParts {
  readonly handler: MeshHandler
  readonly reloader: Reloader
  readonly lifecycle: Lifecycle
  readonly clock: Clock
  readonly random: Random
  readonly events: TypedEmitter<GatewayEvents>
  readonly stats: GatewayStats
  readonly limits: ResolvedGatewayLimits
  /** The Gateway port served when the socket's own port is not one the Gateway declares. */
  readonly defaultPort: () => number | undefined
}

/**
 * The gateway's inbound front: turns each request received on a node:http server into a call
 * through the mesh's outbound stack, with the route table of the Gateway port it came in on, and
 * writes the answer back. It answers bad input as Envoy does (431 too many headers, 413 body over
 * the limit, 404 for a host no route serves), adds Envoy's forwarding headers, and when the client
 * goes away before the answer is written it cancels the upstream call and counts a `DC`.
 */
export class InboundFront {
  constructor(private readonly parts: InboundParts) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const { parts } = this
    const stats = parts.stats
    stats.downstream_rq_total++
    if (req.rawHeaders.length / 2 > parts.limits.maxRequestHeaders) {
      stats.downstream_rq_too_large_headers++
      stats.countStatus(431)
      writeLocal(res, 431, 'Request Header Fields Too Large', 'too-many-headers')
      return
    }
    const snapshot = parts.reloader.current
    const port = this.portOf(req, snapshot.gateway?.portFor.bind(snapshot.gateway))
    if (port === undefined) {
      stats.no_route++
      stats.countStatus(404)
      writeLocal(res, 404, '', LOCAL_REASONS.noRoute)
      return
    }
    const limit = parts.limits.maxRequestBodyBytes
    const declaredLength = Number(req.headers['content-length'] ?? 0)
    if (limit !== undefined && declaredLength > limit) {
      stats.downstream_rq_too_large++
      stats.countStatus(413)
      writeLocal(res, 413, 'Payload Too Large', LOCAL_REASONS.requestTooLarge)
      return
    }
    const scheme = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http'
    const overflow = { tooLarge: false }
    const request: MeshRequest = {
      method: req.method ?? 'GET',
      scheme,
      authority: req.headers.host ?? '',
      path: req.url ?? '/',
      headers: forwardedHeaders(meshHeadersOf(req.headers), clientAddressOf(req.socket.remoteAddress), scheme),
      body: inboundBody(req, limit, overflow),
    }
    this.call(req, res, request, port, overflow)
  }

  private call(req: IncomingMessage, res: ServerResponse, request: MeshRequest, port: CompiledGatewayPort, overflow: { readonly tooLarge: boolean }): void {
    const { parts } = this
    const { stats, lifecycle, clock } = parts
    const cancellation = new Cancellation()
    const call: MeshCallContext = new CallContext({ snapshot: parts.reloader.current, clock, random: parts.random, inbound: undefined, meshOnlyHeaders: [], cancellation, routeTable: port.routes })
    stats.downstream_rq_active++
    lifecycle.callStarted()
    let status = 0
    let reason: string | undefined
    let over = false
    let upstreamFailed = false
    const finish = (complete: boolean): void => {
      if (over) return
      over = true
      stats.downstream_rq_active--
      if (!complete && upstreamFailed) {
        reason = 'reset'
        complete = true
      } else if (!complete) {
        stats.downstream_cx_destroy_remote_active_rq++
        cancellation.cancel('cancelled')
      }
      cancellation.release()
      lifecycle.callEnded()
      if (parts.events.listenerCount('gatewayRequest') > 0) {
        parts.events.emit('gatewayRequest', {
          method: request.method,
          authority: request.authority,
          path: request.path,
          port: port.port,
          status: complete ? status : 0,
          responseFlags: complete ? responseFlagsOf(reason) : 'DC',
          route: call.route === undefined ? undefined : `${call.route.source.kind} ${call.route.source.namespace}/${call.route.source.name}`,
          cluster: call.target?.key,
          durationMs: clock.now() - call.startedAtMs,
        })
      }
    }
    // The client went away before the whole answer was written: the upstream call stops (DC).
    res.once('close', () => finish(res.writableFinished))
    const tooLarge = (): void => {
      stats.downstream_rq_too_large++
      stats.countStatus(413)
      status = 413
      reason = LOCAL_REASONS.requestTooLarge
      writeLocal(res, 413, 'Payload Too Large', LOCAL_REASONS.requestTooLarge)
      // Read the rest so the 413 reaches a client still sending.
      req.resume()
    }
    parts.handler(request, call).then(
      (response: MeshResponse) => {
        if (over || res.destroyed) {
          discardBody(response.body)
          return
        }
        if (overflow.tooLarge) {
          discardBody(response.body)
          return tooLarge()
        }
        status = response.status
        reason = response.localReason
        if (status === 404 && reason === LOCAL_REASONS.noRoute) stats.no_route++
        stats.countStatus(status)
        writeResponse(res, response, request.method, () => (upstreamFailed = true))
      },
      (error: unknown) => {
        if (over) return
        if (overflow.tooLarge || hasTooLargeBody(error)) return tooLarge()
        status = 502
        stats.countStatus(502)
        writeLocal(res, 502, 'upstream request failed', 'internal-error')
      },
    )
  }

  /** The Gateway port a request is routed with: the listener's, the socket's own, else the default. */
  private portOf(req: IncomingMessage, portFor: ((port: number) => CompiledGatewayPort | undefined) | undefined): CompiledGatewayPort | undefined {
    if (portFor === undefined) return undefined
    const declared = (req.socket as unknown as Record<symbol, number | undefined>)[DECLARED_PORT]
    if (declared !== undefined) return portFor(declared)
    const own = req.socket.localPort === undefined ? undefined : portFor(req.socket.localPort)
    if (own !== undefined) return own
    const fallback = this.parts.defaultPort()
    return fallback === undefined ? undefined : portFor(fallback)
  }
}

function hasTooLargeBody(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof BodyTooLargeError) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
