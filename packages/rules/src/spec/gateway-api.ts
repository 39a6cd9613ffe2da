/**
 * The Kubernetes Gateway API kinds meshlet reads (`gwapi:apis/v1/gateway_types.go`,
 * `httproute_types.go`, `shared_types.go`, `apis/v1beta1/referencegrant_types.go`), as validated input.
 */

export interface KubernetesGatewaySpec {
  gatewayClassName?: string
  listeners?: Listener[]
  addresses?: unknown[]
  infrastructure?: unknown
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP'

export interface Listener {
  /** The listener's section name, which an HTTPRoute parentRef may name. */
  name?: string
  hostname?: string
  port?: number
  protocol?: string
  tls?: GatewayTLSConfig
  allowedRoutes?: AllowedRoutes
}

export interface GatewayTLSConfig {
  mode?: 'Terminate' | 'Passthrough'
  certificateRefs?: SecretObjectReference[]
  options?: Record<string, string>
  frontendValidation?: unknown
}

export interface SecretObjectReference {
  group?: string
  kind?: string
  name?: string
  namespace?: string
}

export interface AllowedRoutes {
  namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector }
  kinds?: Array<{ group?: string; kind?: string }>
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: Array<{ key?: string; operator?: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>
}

export interface ParentReference {
  group?: string
  kind?: string
  namespace?: string
  name?: string
  sectionName?: string
  port?: number
}

export interface HTTPRouteSpec {
  parentRefs?: ParentReference[]
  hostnames?: string[]
  rules?: HTTPRouteRule[]
}

export interface HTTPRouteRule {
  name?: string
  matches?: HTTPRouteMatch[]
  filters?: HTTPRouteFilter[]
  backendRefs?: HTTPBackendRef[]
  timeouts?: { request?: string; backendRequest?: string }
  retry?: { codes?: number[]; attempts?: number; backoff?: string }
  sessionPersistence?: unknown
}

export interface HTTPRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string }
  headers?: Array<{ type?: 'Exact' | 'RegularExpression'; name?: string; value?: string }>
  queryParams?: Array<{ type?: 'Exact' | 'RegularExpression'; name?: string; value?: string }>
  method?: string
}

export interface HTTPHeaderFilter {
  set?: Array<{ name?: string; value?: string }>
  add?: Array<{ name?: string; value?: string }>
  remove?: string[]
}

export interface HTTPPathModifier {
  type?: 'ReplaceFullPath' | 'ReplacePrefixMatch'
  replaceFullPath?: string
  replacePrefixMatch?: string
}

export interface HTTPRouteFilter {
  type?: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestRedirect' | 'URLRewrite' | 'RequestMirror' | 'CORS' | 'ExtensionRef'
  requestHeaderModifier?: HTTPHeaderFilter
  responseHeaderModifier?: HTTPHeaderFilter
  requestRedirect?: { scheme?: 'http' | 'https'; hostname?: string; path?: HTTPPathModifier; port?: number; statusCode?: number }
  urlRewrite?: { hostname?: string; path?: HTTPPathModifier }
  requestMirror?: { backendRef?: BackendObjectReference; percent?: number; fraction?: { numerator?: number; denominator?: number } }
  cors?: unknown
  extensionRef?: unknown
}

export interface BackendObjectReference {
  group?: string
  kind?: string
  name?: string
  namespace?: string
  port?: number
}

export interface HTTPBackendRef extends BackendObjectReference {
  weight?: number
  filters?: HTTPRouteFilter[]
}

export interface ReferenceGrantSpec {
  from?: Array<{ group?: string; kind?: string; namespace?: string }>
  to?: Array<{ group?: string; kind?: string; name?: string }>
}
