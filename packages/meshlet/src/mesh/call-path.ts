import { CallContext, Cancellation, MeshError, currentInboundContext, discardBody, whenBodyDone } from '@meshlet/core'
import type { Clock, InboundContext, MeshRequest, MeshResponse, Random } from '@meshlet/core'
import type { MeshSnapshot } from '@meshlet/rules'
import type { MeshCallContext, MeshHandler } from '../call-context.js'
import { toMeshRequest } from '../fetch/request.js'
import { toFetchResponse } from '../fetch/response.js'
import { toNodeMeshRequest } from '../fetch/node-request.js'
import type { MeshRequestOptions } from '../fetch/node-request.js'
import { toNodeResult } from '../fetch/node-response.js'
import type { MeshRequestResult } from '../fetch/node-response.js'
import { NO_MESH_ONLY_HEADERS, withPropagatedHeaders } from '../propagation/outbound.js'
import type { Lifecycle } from './lifecycle.js'
import { MAX_REDIRECTS, followRedirect, redirectTarget } from './redirects.js'

export interface CallPathParts {
  readonly handler: MeshHandler
  readonly clock: Clock
  readonly random: Random
  /** The rules a call starting now uses. */
  readonly snapshot: () => MeshSnapshot
  readonly lifecycle: Lifecycle
}

/**
 * The mesh's two entry points and the one call they share. `fetch` takes fetch's arguments and
 * answers a WHATWG Response (following redirects as fetch does); `request` takes undici.request's
 * and answers status, headers and a Node stream. Both add the inbound request's propagated headers,
 * make the call's context (the snapshot it keeps to the end, its cancellation from the caller's
 * signal) and run the stack. They reject only for a bad request, a caller's abort (with the
 * signal's reason) or a closed mesh; everything the mesh decides is an answer with a status.
 */
export class CallPath {
  constructor(private readonly parts: CallPathParts) {}

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    this.assertOpen('mesh.fetch')
    const converted = toMeshRequest(input, init)
    const inbound = currentInboundContext()
    const propagated = inbound === undefined ? undefined : withPropagatedHeaders(converted.request, inbound)
    const meshOnly = propagated?.meshOnly ?? NO_MESH_ONLY_HEADERS
    let request = propagated?.request ?? converted.request
    let url = converted.url
    const lifecycle = this.parts.lifecycle
    lifecycle.callStarted()
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await this.call(request, converted.signal, inbound, meshOnly)
        const location = converted.redirect === 'manual' ? undefined : redirectTarget(response)
        if (location === undefined) return toFetchResponse(response, url.href, redirects > 0, request.method)
        discardBody(response.body)
        if (converted.redirect === 'error') throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: unexpected redirect to ${location} (redirect: 'error')`)
        if (redirects >= MAX_REDIRECTS) throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: more than ${MAX_REDIRECTS} redirects`)
        ;({ request, url } = followRedirect(request, url, response.status, location, meshOnly))
      }
    } finally {
      lifecycle.callEnded()
    }
  }

  readonly request = async (url: string | URL, options?: MeshRequestOptions): Promise<MeshRequestResult> => {
    this.assertOpen('mesh.request')
    const converted = toNodeMeshRequest(url, options)
    const inbound = currentInboundContext()
    const propagated = inbound === undefined ? undefined : withPropagatedHeaders(converted, inbound)
    const lifecycle = this.parts.lifecycle
    lifecycle.callStarted()
    try {
      const request = propagated?.request ?? converted
      const meshOnly = propagated?.meshOnly ?? NO_MESH_ONLY_HEADERS
      const cancellation = options?.cancellation
      // The caller's own token, when it gave one, is the call's: nothing to link or let go.
      if (cancellation !== undefined) return toNodeResult(await this.parts.handler(request, this.#context(inbound, meshOnly, cancellation)))
      return toNodeResult(await this.call(request, options?.signal ?? undefined, inbound, meshOnly))
    } finally {
      lifecycle.callEnded()
    }
  }

  /** One call through the stack, with its own context; the caller's cancellation is let go once the body is over. */
  private call(request: MeshRequest, signal: AbortSignal | undefined, inbound: InboundContext | undefined, meshOnlyHeaders: readonly string[]): Promise<MeshResponse> {
    // Without a signal there is nothing to let go and no abort to answer: the stack's own promise.
    if (signal === undefined) return this.parts.handler(request, this.#context(inbound, meshOnlyHeaders, undefined))
    const cancellation = Cancellation.fromSignal(signal)
    return this.parts.handler(request, this.#context(inbound, meshOnlyHeaders, cancellation)).then(
      (response) => {
        // A caller that aborted before the answer was ready gets its abort, as from fetch, even when
        // a layer still had an answer in hand.
        if (signal.aborted) {
          discardBody(response.body)
          cancellation.release()
          throw signal.reason
        }
        whenBodyDone(response.body, () => cancellation.release())
        return response
      },
      (error: unknown) => {
        cancellation.release()
        // A cancelled call rejects with the caller's own abort reason, as an aborted fetch does.
        throw signal.aborted ? signal.reason : error
      },
    )
  }

  /** A new call's context: the rules in force now, the mesh's clock and random. */
  #context(inbound: InboundContext | undefined, meshOnlyHeaders: readonly string[], cancellation: Cancellation | undefined): MeshCallContext {
    const { clock, random } = this.parts
    return new CallContext({ snapshot: this.parts.snapshot(), clock, random, inbound, meshOnlyHeaders, cancellation })
  }

  private assertOpen(entry: string): void {
    if (this.parts.lifecycle.closed) throw new MeshError('MESHLET_ERR_MESH_CLOSED', `${entry} called after mesh.close()`)
  }
}
