import type { DurationString, Percent, PortSelector, StringMatch } from './common.js'

/** `api:networking/v1alpha3/virtual_service.proto`, as validated input. */
export interface VirtualServiceSpec {
  hosts?: string[]
  gateways?: string[]
  http?: HTTPRoute[]
  tls?: unknown[]
  tcp?: unknown[]
  exportTo?: string[]
}

export interface HTTPRoute {
  name?: string
  match?: HTTPMatchRequest[]
  route?: HTTPRouteDestination[]
  redirect?: HTTPRedirect
  directResponse?: HTTPDirectResponse
  delegate?: Delegate
  rewrite?: HTTPRewrite
  timeout?: DurationString
  retries?: HTTPRetry
  fault?: HTTPFaultInjection
  mirror?: Destination
  mirrors?: HTTPMirrorPolicy[]
  mirrorPercentage?: Percent
  mirrorPercent?: number
  corsPolicy?: CorsPolicy
  headers?: Headers
}

export interface HTTPMatchRequest {
  name?: string
  uri?: StringMatch
  scheme?: StringMatch
  method?: StringMatch
  authority?: StringMatch
  headers?: Record<string, StringMatch>
  port?: number
  sourceLabels?: Record<string, string>
  gateways?: string[]
  queryParams?: Record<string, StringMatch>
  ignoreUriCase?: boolean
  withoutHeaders?: Record<string, StringMatch>
  sourceNamespace?: string
  statPrefix?: string
}

export interface Destination {
  host: string
  subset?: string
  port?: PortSelector
}

export interface HTTPRouteDestination {
  destination: Destination
  weight?: number
  headers?: Headers
}

export interface HTTPRedirect {
  uri?: string
  /** `prefix_rewrite` in the proto (istio/api#3708, 2026): replaces only the matched uri prefix. */
  prefixRewrite?: string
  authority?: string
  port?: number
  derivePort?: 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT'
  scheme?: string
  redirectCode?: number
}

export interface HTTPDirectResponse {
  status: number
  body?: { string?: string; bytes?: string }
}

export interface Delegate {
  name?: string
  namespace?: string
}

export interface HTTPRewrite {
  uri?: string
  authority?: string
  uriRegexRewrite?: { match?: string; rewrite?: string }
}

export interface HTTPRetry {
  attempts?: number
  perTryTimeout?: DurationString
  retryOn?: string
  retryRemoteLocalities?: boolean
  retryIgnorePreviousHosts?: boolean
  backoff?: DurationString
}

export interface HTTPFaultInjection {
  delay?: { fixedDelay?: DurationString; exponentialDelay?: DurationString; percentage?: Percent; percent?: number }
  abort?: { httpStatus?: number; grpcStatus?: string; http2Error?: string; percentage?: Percent }
}

export interface HTTPMirrorPolicy {
  destination: Destination
  percentage?: Percent
}

export interface CorsPolicy {
  allowOrigins?: StringMatch[]
  allowOrigin?: string[]
  allowMethods?: string[]
  allowHeaders?: string[]
  exposeHeaders?: string[]
  maxAge?: DurationString
  allowCredentials?: boolean
  unmatchedPreflights?: 'UNSPECIFIED' | 'FORWARD' | 'IGNORE'
}

export interface HeaderOperations {
  set?: Record<string, string>
  add?: Record<string, string>
  remove?: string[]
}

export interface Headers {
  request?: HeaderOperations
  response?: HeaderOperations
}
