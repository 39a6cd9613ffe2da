import type { Attributes, Context, Link, Span, Tracer, TracerProvider } from '@opentelemetry/api'

/** The part of `@opentelemetry/api` the layers use, loaded by the composition root only when telemetry is on. */
export type OtelApi = typeof import('@opentelemetry/api')

/** The tracer name meshlet's spans are created under. */
export const MESHLET_TRACER_NAME = 'meshlet'

/**
 * Where spans go: a provider given to createMesh, else the global one. With the global one and no
 * SDK registered (the API's no-op delegate), `tracer()` answers undefined and no span is made at
 * all, so tracing costs nothing until an SDK is registered; it is asked again on every call, so an
 * SDK registered after the mesh was made is used from then on.
 */
export class Tracing {
  readonly api: OtelApi
  readonly #given: TracerProvider | undefined
  readonly #noopDelegate: TracerProvider
  #tracer: Tracer | undefined
  #tracerOf: TracerProvider | undefined

  constructor(api: OtelApi, provider?: TracerProvider) {
    this.api = api
    this.#given = provider
    // A fresh proxy answers the API's no-op provider as its delegate: what "no SDK" looks like.
    this.#noopDelegate = new api.ProxyTracerProvider().getDelegate()
  }

  /** The tracer to use now, or undefined when nothing would record a span. */
  tracer(): Tracer | undefined {
    let provider = this.#given
    if (provider === undefined) {
      const global = this.api.trace.getTracerProvider()
      provider = global instanceof this.api.ProxyTracerProvider ? global.getDelegate() : global
      if (provider === this.#noopDelegate) return undefined
    }
    if (provider !== this.#tracerOf) {
      this.#tracer = provider.getTracer(MESHLET_TRACER_NAME)
      this.#tracerOf = provider
    }
    return this.#tracer
  }

  /** The context a call's span starts under: the active one when it has a span (an inbound request's), else the trace context the inbound request brought, else none. */
  parentOf(inboundHeaders: Readonly<Record<string, string>> | undefined): Context {
    const api = this.api
    const active = api.context.active()
    if (api.trace.getSpan(active) !== undefined || inboundHeaders === undefined) return active
    return api.propagation.extract(active, inboundHeaders)
  }

  startSpan(tracer: Tracer, name: string, kind: number, parent: Context, attributes?: Attributes, links?: Link[]): Span {
    return tracer.startSpan(name, { kind, attributes, links }, parent)
  }
}
