import type { Attributes, Context, Link, Span, Tracer, TracerProvider } from '@opentelemetry/api'

/** The part of `@opentelemetry/api` the layers use, loaded by the composition root only when telemetry is on. */
export type OtelApi = typeof import('@opentelemetry/api')

/** The tracer name meshlet's spans are created under. */
export const MESHLET_TRACER_NAME = 'meshlet'

/**
 * Where `@opentelemetry/api` 1.x keeps what an SDK registered (its `internal/global-utils.ts`):
 * absent until something registers a tracer or meter provider, a propagator or a context manager.
 */
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1')

/** True once an OpenTelemetry SDK (or anything else) registered globals with `@opentelemetry/api` 1.x. */
export function otelGlobalsRegistered(): boolean {
  return (globalThis as Record<symbol, unknown>)[OTEL_API_GLOBAL] !== undefined
}

/**
 * Where spans go: a provider given to createMesh, else the global one. With the global one and no
 * SDK registered (the API's no-op delegate), `tracer()` answers undefined and no span is made at
 * all, so tracing costs nothing until an SDK is registered; it is asked again on every call, so an
 * SDK registered after the mesh was made is used from then on.
 *
 * `Tracing.deferred` does not even load the API until an SDK has registered something: a process
 * with no OpenTelemetry SDK (a serverless cold start) never pays for importing it. Calls made while
 * the API loads, right after an SDK registered, are not traced.
 */
export class Tracing {
  #api: OtelApi | undefined
  #loading: Promise<void> | undefined
  readonly #load: (() => Promise<OtelApi | undefined>) | undefined
  readonly #given: TracerProvider | undefined
  #noopDelegate: TracerProvider | undefined
  #tracer: Tracer | undefined
  #tracerOf: TracerProvider | undefined

  /** `api`: the loaded API; or `load`: how to load it once an SDK registered globals (the global provider only). */
  constructor(source: OtelApi | { readonly load: () => Promise<OtelApi | undefined> }, provider?: TracerProvider) {
    this.#given = provider
    if ('load' in source && typeof source.load === 'function') this.#load = source.load
    else this.#use(source as OtelApi)
  }

  #use(api: OtelApi): void {
    this.#api = api
    // A fresh proxy answers the API's no-op provider as its delegate: what "no SDK" looks like.
    this.#noopDelegate = new api.ProxyTracerProvider().getDelegate()
  }

  /** The API; read only after tracer() answered a tracer, so it is loaded. */
  get api(): OtelApi {
    return this.#api!
  }

  /** The tracer to use now, or undefined when nothing would record a span. */
  tracer(): Tracer | undefined {
    const api = this.#api
    if (api === undefined) {
      if (this.#loading === undefined && this.#load !== undefined && otelGlobalsRegistered()) {
        this.#loading = this.#load().then(
          (loaded) => (loaded === undefined ? undefined : this.#use(loaded)),
          () => undefined,
        )
      }
      return undefined
    }
    let provider = this.#given
    if (provider === undefined) {
      const global = api.trace.getTracerProvider()
      provider = global instanceof api.ProxyTracerProvider ? global.getDelegate() : global
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
    const api = this.#api!
    const active = api.context.active()
    if (api.trace.getSpan(active) !== undefined || inboundHeaders === undefined) return active
    return api.propagation.extract(active, inboundHeaders)
  }

  startSpan(tracer: Tracer, name: string, kind: number, parent: Context, attributes?: Attributes, links?: Link[]): Span {
    return tracer.startSpan(name, { kind, attributes, links }, parent)
  }
}
