/**
 * A request the gateway received finished: answered in full, or ended early. `responseFlags`
 * are Envoy's (`DC` the client went away before the answer was written, `NR` no route, `UH`,
 * `UT`, ... from the mesh's local reply reason), so the request counts in Istio's terms.
 */
export interface GatewayRequestEvent {
  readonly method: string
  readonly authority: string
  readonly path: string
  /** The Gateway server port the request was routed with. */
  readonly port: number
  /** The status sent, or 0 when none was (the client left first), as Istio reports a `DC`. */
  readonly status: number
  /** Envoy response flags, `-` when none. */
  readonly responseFlags: string
  /** The route table entry (VirtualService or HTTPRoute) that routed it, if any. */
  readonly route: string | undefined
  /** Envoy-style cluster name of the upstream call, if one was made. */
  readonly cluster: string | undefined
  readonly durationMs: number
}

/** A listener's certificate files were read again after they changed (or could not be). */
export interface CertificateReloadEvent {
  readonly port: number
  readonly files: readonly string[]
  /** Set when the new files could not be used; the previous certificate keeps serving. */
  readonly error: unknown
}

// Type alias, not interface: TypedEmitter needs the implicit index signature.
export type GatewayEvents = {
  gatewayRequest: (event: GatewayRequestEvent) => void
  certificateReloaded: (event: CertificateReloadEvent) => void
}
