/** Plain JSON describing what the mesh would do with a request (`meshlet explain`, `mesh.explain`). */

export type RouteDecisionAction = 'route' | 'redirect' | 'directResponse' | 'noRoute' | 'passthrough'

export interface HeaderOperationsJson {
  readonly set: Readonly<Record<string, string>>
  readonly add: Readonly<Record<string, string>>
  readonly remove: readonly string[]
}

export interface HeadersJson {
  readonly request: HeaderOperationsJson
  readonly response: HeaderOperationsJson
}

export interface DestinationJson {
  readonly host: string
  readonly subset: string | null
  /** As written on the route; null when the route names no port. */
  readonly port: number | null
  readonly weight: number
  readonly headers: HeadersJson
}

export interface RetriesJson {
  /** Retries after the first try; 0 = retries disabled. */
  readonly attempts: number
  readonly perTryTimeoutMs: number | null
  /** As Envoy receives it: policy tokens joined with ','. */
  readonly retryOn: string
  readonly retriableStatusCodes: readonly number[]
  /** Base interval of the jittered exponential backoff. */
  readonly backoffMs: number
  readonly backoffMaxMs: number
  readonly avoidPreviousHosts: boolean
  readonly retryRemoteLocalities: boolean
  /** True when Istio's default policy applies (the route has no `retries`). */
  readonly isDefault: boolean
}

export interface FaultJson {
  readonly delay: { readonly fixedDelayMs: number; readonly percentage: number } | null
  readonly abort: { readonly httpStatus: number | null; readonly grpcStatus: string | null; readonly percentage: number } | null
}

export interface RewriteJson {
  readonly uri: string | null
  readonly uriRegexRewrite: { readonly match: string; readonly rewrite: string } | null
  readonly authority: string | null
  /** The path and query the request is forwarded with. */
  readonly path: string
}

export interface StringMatchJson {
  readonly exact?: string
  readonly prefix?: string
  readonly regex?: string
}

export interface CorsJson {
  readonly allowOrigins: readonly StringMatchJson[]
  readonly allowMethods: readonly string[]
  readonly allowHeaders: readonly string[]
  readonly exposeHeaders: readonly string[]
  readonly maxAgeSeconds: number | null
  readonly allowCredentials: boolean | null
  readonly unmatchedPreflights: 'FORWARD' | 'IGNORE'
}

export interface RouteDecision {
  /** The table that routed the request: `mesh`, or `<gateway>:<port>` for a gateway. */
  readonly routeTable: string
  /** The resource the matched route comes from, `Kind namespace/name` (a VirtualService or an HTTPRoute). */
  readonly source: string | null
  /** The host the request addresses, resolved to its FQDN (as written for passthrough). */
  readonly host: string
  /** `namespace/name` of the VirtualService that owns the host. */
  readonly virtualService: string | null
  /** The delegate VirtualService (`namespace/name`) the route came from, when there is one. */
  readonly delegate: string | null
  /** The route that matched; `match` is the `name` of the match entry that selected it, if it has one. */
  readonly route: { readonly index: number; readonly name: string | null; readonly match: string | null } | null
  readonly action: RouteDecisionAction
  /** Why there is no route or no action, in words. */
  readonly reason: string | null
  readonly destinations: readonly DestinationJson[]
  readonly selected: { readonly host: string; readonly subset: string | null; readonly port: number | null } | null
  readonly rewrite: RewriteJson | null
  readonly redirect: { readonly status: number; readonly location: string } | null
  readonly directResponse: { readonly status: number; readonly body: string | null } | null
  readonly timeoutMs: number | null
  readonly retries: RetriesJson | null
  readonly fault: FaultJson | null
  readonly mirrors: ReadonlyArray<{ readonly host: string; readonly subset: string | null; readonly port: number | null; readonly percentage: number }>
  readonly headers: HeadersJson
  readonly corsPolicy: CorsJson | null
  /** The DestinationRule (`namespace/name`) whose policy applies to the selected destination. */
  readonly destinationRule: string | null
  /** The selected destination's traffic policy, defaults filled; null when nothing is forwarded. */
  readonly trafficPolicy: unknown
}

export interface ExplainRequest {
  readonly method: string
  /** Absolute URL: `http://reviews:9080/reviews/1?x=1`. */
  readonly url: string
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>
}
