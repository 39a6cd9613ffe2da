/**
 * The compiled, deep-frozen form of a set of Istio resources. Everything the data plane needs is
 * decided here once: hosts are expanded to FQDNs, durations are milliseconds, regexes are compiled
 * (RE2), weights are cumulative, defaults are filled in. Layers read these types and never look at
 * raw YAML.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { SourcePosition, RawResource } from '../source/resource.js'
import type { ClientTLSSettings } from '../spec/destination-rule.js'

/** Who this mesh is: Istio evaluates sourceLabels, sourceNamespace and gateways against it. */
export interface MeshIdentity {
  /** Namespace this service runs in; bare short names in requests expand with it. */
  readonly namespace: string
  /** This workload's labels (for `sourceLabels`). */
  readonly labels: Readonly<Record<string, string>>
  /** The cluster DNS domain, `cluster.local` unless told otherwise. */
  readonly domain: string
}

export interface ResourceRef {
  readonly kind: string
  readonly namespace: string
  readonly name: string
  readonly position: SourcePosition
}

// ---------------------------------------------------------------------------------------------
// Matchers

export type StringMatchKind = 'exact' | 'prefix' | 'regex' | 'present'

/** A precompiled string test. `present` matches any value (Istio's `{}` or `regex: "*"`). */
export interface StringMatcher {
  readonly kind: StringMatchKind
  readonly value: string
  readonly ignoreCase: boolean
  test(input: string): boolean
}

/**
 * Where a header matcher reads its value, decided when the rules compile. Envoy keeps the request
 * line in pseudo-headers, so a match on `:method`, `:authority`, `:scheme` or `:path` tests the
 * request itself rather than a header of that name (route_components.proto, HeaderMatcher: "use
 * the special HTTP/2 :method header"; HTTP/1's Host is held as :authority). `:status` names a
 * response pseudo-header and is never present on a request.
 */
export type HeaderSource = 'header' | ':method' | ':authority' | ':scheme' | ':path' | ':status'

export interface HeaderMatcher {
  /** Lower-cased header name. */
  readonly name: string
  /** What the value is read from: a request header, or the request line for a pseudo-header. */
  readonly source: HeaderSource
  readonly match: StringMatcher
  /** From `withoutHeaders`: the entry matches when the header match fails. */
  readonly invert: boolean
  /**
   * Test a missing header as the empty string (Envoy treat_missing_header_as_empty, which Istio
   * sets on withoutHeaders except for the presence form). Otherwise a missing header fails the
   * match before `invert` applies.
   */
  readonly missingAsEmpty?: boolean
}

export interface QueryParamMatcher {
  readonly name: string
  readonly match: StringMatcher
}

/** One entry of a route's `match` list (the fields inside are AND-ed). */
export interface CompiledMatch {
  readonly name: string | undefined
  /** The destination port this entry is for (match.port); undefined = any port. */
  readonly port: number | undefined
  /** Compared against the path without the query string. */
  readonly uri: StringMatcher | undefined
  readonly scheme: StringMatcher | undefined
  readonly method: StringMatcher | undefined
  readonly authority: StringMatcher | undefined
  readonly headers: readonly HeaderMatcher[]
  readonly queryParams: readonly QueryParamMatcher[]
}

// ---------------------------------------------------------------------------------------------
// Route actions

export interface HeaderOperations {
  readonly set: Readonly<Record<string, string>>
  readonly add: Readonly<Record<string, string>>
  readonly remove: readonly string[]
}

export interface CompiledHeaders {
  readonly request: HeaderOperations
  readonly response: HeaderOperations
}

export interface CompiledDestination {
  /** Fully qualified (short names expanded with the rule's namespace). */
  readonly host: string
  readonly subset: string | undefined
  readonly port: number | undefined
  /** Relative weight as written (a single destination gets all traffic whatever its weight). */
  readonly weight: number
  readonly headers: CompiledHeaders
  /** Host rewrite from this destination's `:authority`/`host` header operation (used when the route sets none). */
  readonly authority?: string | undefined
  /**
   * Why this destination cannot be sent to, when it cannot: a Gateway API backendRef that does not
   * resolve (an unsupported kind, a namespace no ReferenceGrant opens). Its share answers 500.
   */
  readonly unresolved?: string | undefined
}

export interface RouteToDestinations {
  readonly kind: 'route'
  /** Only destinations that can receive traffic (weight 0 / missing among several are dropped). */
  readonly destinations: readonly CompiledDestination[]
  /** cumulativeWeights[i] = sum of weights 0..i; pick with random() * totalWeight. */
  readonly cumulativeWeights: readonly number[]
  readonly totalWeight: number
}

export interface CompiledRedirect {
  readonly kind: 'redirect'
  readonly uri: string | undefined
  /** Replaces only the matched uri prefix. */
  readonly prefixRewrite: string | undefined
  readonly authority: string | undefined
  readonly scheme: string | undefined
  readonly port: number | undefined
  readonly derivePort: 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT' | undefined
  /** 301 by default; only 301, 302, 303, 307, 308 are produced by Envoy. */
  readonly status: number
  /**
   * Gateway API ReplacePrefixMatch: the prefix is replaced path element by path element, so
   * replacing `/foo` with `/` turns `/foo/bar` into `/bar`, not `//bar`.
   */
  readonly pathSeparated?: boolean
}

export interface CompiledDirectResponse {
  readonly kind: 'directResponse'
  readonly status: number
  /** Body text, or base64 when `bodyEncoding` is 'base64' (from body.bytes). */
  readonly body: string | undefined
  readonly bodyEncoding: 'utf8' | 'base64'
}

/** A route whose action Envoy would not produce (e.g. redirect code 300): answered as no route. */
export interface NoAction {
  readonly kind: 'none'
  readonly reason: string
}

export type RouteAction = RouteToDestinations | CompiledRedirect | CompiledDirectResponse | NoAction

export interface CompiledRewrite {
  /** Replaces the matched prefix (or the whole path for an exact match), Envoy prefix_rewrite. */
  readonly uri: string | undefined
  /** RE2 substitution over the path; `rewrite` uses `\1` groups as in Istio. */
  readonly uriRegex: { readonly match: string; readonly rewrite: string; apply(path: string): string } | undefined
  readonly authority: string | undefined
}

/** Envoy retry policy for a route, defaults filled in (reference §6.4). */
export interface CompiledRetryPolicy {
  /** Retries after the first try (total tries = 1 + attempts). */
  readonly attempts: number
  readonly perTryTimeoutMs: number | undefined
  /** Policy tokens, e.g. ['connect-failure', 'refused-stream', 'unavailable', 'cancelled']. */
  readonly retryOn: readonly string[]
  /** Integer tokens of retryOn (retriable-status-codes). */
  readonly retriableStatusCodes: readonly number[]
  readonly retryRemoteLocalities: boolean
  /** Avoid hosts already tried (Envoy previous_hosts predicate); Istio default true. */
  readonly avoidPreviousHosts: boolean
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
  /** True when the route had no `retries` block and Istio's default applies. */
  readonly isDefault: boolean
}

export interface CompiledFault {
  readonly delay: { readonly fixedDelayMs: number; readonly percentage: number } | undefined
  readonly abort:
    | { readonly httpStatus: number; readonly grpcStatus: undefined; readonly percentage: number }
    | { readonly httpStatus: undefined; readonly grpcStatus: string; readonly percentage: number }
    | undefined
}

export interface CompiledMirror {
  readonly host: string
  readonly subset: string | undefined
  readonly port: number | undefined
  /** 0..100; Istio's default is 100 when no percentage is given. */
  readonly percentage: number
}

export interface CompiledCors {
  readonly allowOrigins: readonly StringMatcher[]
  readonly allowMethods: readonly string[]
  readonly allowHeaders: readonly string[]
  readonly exposeHeaders: readonly string[]
  readonly maxAgeSeconds: number | undefined
  readonly allowCredentials: boolean | undefined
  readonly unmatchedPreflights: 'FORWARD' | 'IGNORE'
}

export interface CompiledRoute {
  /** Position in the (delegate-merged) http list of its VirtualService. */
  readonly index: number
  readonly name: string | undefined
  /** undefined = catch-all (no match block). */
  readonly matches: readonly CompiledMatch[] | undefined
  readonly action: RouteAction
  readonly rewrite: CompiledRewrite | undefined
  readonly timeoutMs: number | undefined
  readonly retries: CompiledRetryPolicy
  readonly fault: CompiledFault | undefined
  readonly mirrors: readonly CompiledMirror[]
  readonly headers: CompiledHeaders
  readonly cors: CompiledCors | undefined
  /** The delegate VirtualService this route came from, if any. */
  readonly delegate: ResourceRef | undefined
  readonly source: ResourceRef
}

export interface CompiledVirtualService {
  readonly ref: ResourceRef
  /** Hosts as written and as resolved to FQDN (wildcards and IPs kept). */
  readonly hosts: readonly string[]
  readonly routes: readonly CompiledRoute[]
}

// ---------------------------------------------------------------------------------------------
// DestinationRule policies (defaults filled in; durations in ms)

export type LoadBalancerAlgorithm = 'ROUND_ROBIN' | 'RANDOM' | 'LEAST_REQUEST' | 'PASSTHROUGH' | 'CONSISTENT_HASH' | 'PEAK_EWMA'

export interface CompiledConsistentHash {
  readonly key:
    | { readonly kind: 'header'; readonly name: string }
    | { readonly kind: 'cookie'; readonly name: string; readonly path: string | undefined; readonly ttlMs: number | undefined }
    | { readonly kind: 'sourceIp' }
    | { readonly kind: 'queryParameter'; readonly name: string }
  readonly algorithm: { readonly kind: 'ringHash'; readonly minimumRingSize: number } | { readonly kind: 'maglev'; readonly tableSize: number }
}

export interface CompiledLocalitySetting {
  readonly enabled: boolean
  readonly distribute: ReadonlyArray<{ readonly from: string; readonly to: Readonly<Record<string, number>> }>
  readonly failover: ReadonlyArray<{ readonly from: string; readonly to: string }>
  readonly failoverPriority: readonly string[]
}

export interface CompiledLoadBalancer {
  readonly algorithm: LoadBalancerAlgorithm
  readonly consistentHash: CompiledConsistentHash | undefined
  readonly locality: CompiledLocalitySetting | undefined
  readonly warmup: { readonly durationMs: number; readonly minimumPercent: number; readonly aggression: number } | undefined
  /** `meshlet.io/peak-ewma` decay of the latency average; undefined = the balancer's default. */
  readonly peakEwmaDecayMs: number | undefined
}

export interface CompiledConnectionPool {
  readonly maxConnections: number
  readonly connectTimeoutMs: number
  /** tcp.idleTimeout; undefined when not set, 0 when set to `0s` (no idle timeout). */
  readonly tcpIdleTimeoutMs: number | undefined
  readonly maxConnectionDurationMs: number | undefined
  readonly http1MaxPendingRequests: number
  readonly http2MaxRequests: number
  /** 0 = unlimited. */
  readonly maxRequestsPerConnection: number
  readonly maxRetries: number
  /**
   * http.idleTimeout; undefined when not set. The transport uses it, else tcp.idleTimeout, else
   * Istio's 1 h default: kept unresolved here so that an explicit `1h` is not mistaken for unset.
   */
  readonly httpIdleTimeoutMs: number | undefined
  /** http.h2UpgradePolicy as written (`DEFAULT` when unset): whether an HTTP port's cluster speaks HTTP/2. */
  readonly h2UpgradePolicy: 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE'
  /** http.useClientProtocol: keep the caller's protocol (never upgrade). */
  readonly useClientProtocol: boolean
  /** http.maxConcurrentStreams: streams per HTTP/2 connection (2^31-1 when unset, Envoy's default). */
  readonly maxConcurrentStreams: number
  /** http.http2KeepAlive: PING every intervalMs, the connection closed when no answer within timeoutMs. */
  readonly http2KeepAlive: { readonly intervalMs: number; readonly timeoutMs: number } | undefined
}

export interface CompiledOutlierDetection {
  readonly consecutive5xxErrors: number
  readonly consecutiveGatewayErrors: number
  readonly consecutiveLocalOriginFailures: number
  readonly splitExternalLocalOriginErrors: boolean
  readonly intervalMs: number
  readonly baseEjectionTimeMs: number
  readonly maxEjectionPercent: number
  readonly minHealthPercent: number
  /** When set, only these codes count as errors (outlierDetectionHttpErrorCodes). */
  readonly httpErrorCodes: readonly number[] | undefined
}

export interface CompiledRetryBudget {
  readonly percent: number
  readonly minRetryConcurrency: number
  readonly budgetIntervalMs: number | undefined
}

/** The policy for one cluster (host, subset, port) after Istio's precedence rules (reference §11). */
export interface CompiledTrafficPolicy {
  readonly loadBalancer: CompiledLoadBalancer
  readonly connectionPool: CompiledConnectionPool
  readonly outlierDetection: CompiledOutlierDetection | undefined
  readonly tls: Readonly<ClientTLSSettings> | undefined
  readonly retryBudget: CompiledRetryBudget | undefined
  /** meshlet.io/* annotations of the DestinationRule, validated, by name without the prefix. */
  readonly extensions: Readonly<Record<string, unknown>>
}

export interface CompiledSubset {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
}

export interface CompiledDestinationRule {
  readonly ref: ResourceRef
  /** FQDN or wildcard. */
  readonly host: string
  readonly subsets: readonly CompiledSubset[]
  /** Every DestinationRule merged into this one for the host, oldest (the one whose policy wins) first. */
  readonly mergedFrom?: readonly ResourceRef[]
  /** Resolves the policy for a subset (undefined = none) and a port (undefined = no port-level entry). */
  policyFor(subset: string | undefined, port: number | undefined): CompiledTrafficPolicy
}

// ---------------------------------------------------------------------------------------------
// Service registry (ServiceEntry / WorkloadEntry)

export interface CompiledServicePort {
  readonly number: number
  readonly name: string
  readonly protocol: string
  readonly targetPort: number | undefined
}

export interface CompiledEndpoint {
  readonly address: string
  /** Port name → port, from the WorkloadEntry. */
  readonly ports: Readonly<Record<string, number>>
  readonly labels: Readonly<Record<string, string>>
  readonly locality: string | undefined
  readonly weight: number
  readonly network: string | undefined
  /** The WorkloadEntry it came from, when selected by workloadSelector. */
  readonly source: ResourceRef | undefined
  /** Its `meshlet.io/port`: the port for every service port `ports` does not name. */
  readonly defaultPort: number | undefined
}

export interface CompiledServiceEntry {
  readonly ref: ResourceRef
  readonly hosts: readonly string[]
  readonly addresses: readonly string[]
  readonly ports: readonly CompiledServicePort[]
  readonly location: 'MESH_EXTERNAL' | 'MESH_INTERNAL'
  readonly resolution: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS'
  /** Inline endpoints plus WorkloadEntries chosen by workloadSelector. */
  readonly endpoints: readonly CompiledEndpoint[]
  /** It has a workloadSelector: its endpoints are the WorkloadEntries selected, even none (DNS never resolves the host then). */
  readonly selectsWorkloads: boolean
  /**
   * The workloadSelector labels, when the entry has one: WorkloadEntries that a live source
   * registers later (etcd) are selected with it, in the entry's namespace, without a recompile.
   */
  readonly workloadSelector: Readonly<Record<string, string>> | undefined
}

// ---------------------------------------------------------------------------------------------
// The snapshot

export interface MeshSnapshot {
  readonly identity: MeshIdentity
  /** Increases with each compile in a process; names the snapshot in events. */
  readonly generation: number
  readonly virtualServices: readonly CompiledVirtualService[]
  readonly destinationRules: readonly CompiledDestinationRule[]
  readonly serviceEntries: readonly CompiledServiceEntry[]
  /**
   * Services a registry declared (Kubernetes Services, `ref.kind` 'Service'), in the same shape as
   * a ServiceEntry with resolution STATIC (DNS for an ExternalName); `lookupServiceEntry` finds them.
   */
  readonly registryServices: readonly CompiledServiceEntry[]
  /** The resources this snapshot was compiled from (for fidelity and explain). */
  readonly resources: readonly RawResource[]
  /** Warnings and notes kept from validation and analysis. */
  readonly diagnostics: readonly Diagnostic[]
  /** The mesh's routes (this workload as a sidecar), which calls use unless told another table. */
  readonly meshRoutes: RouteTable
  /** The gateway this snapshot was compiled for (the `gateway` compile option), else undefined. */
  readonly gateway: CompiledGateway | undefined
  /** Finds the VirtualService for a request authority (port stripped, aliases expanded). */
  lookupVirtualService(authority: string): HostMatch | undefined
  /** The same, for a host already resolved with `resolveAuthority` (the per-request path resolves once). */
  lookupVirtualServiceByHost(host: string): HostMatch | undefined
  /** The most specific DestinationRule for an FQDN host. */
  lookupDestinationRule(host: string): CompiledDestinationRule | undefined
  /** The ServiceEntry that declares an FQDN host (exact, then most specific wildcard). */
  lookupServiceEntry(host: string): CompiledServiceEntry | undefined
  /** Resolves an authority as written by the caller to the FQDN Istio would use. */
  resolveAuthority(authority: string): ResolvedAuthority
  /**
   * The policy for a cluster: the host's DestinationRule resolved for subset and port, or Istio's
   * defaults when no DestinationRule applies.
   */
  trafficPolicyFor(host: string, subset: string | undefined, port: number | undefined): CompiledTrafficPolicy
}

export interface ResolvedAuthority {
  /** FQDN (or the name as written when it is not a known alias), lower case, no port. */
  readonly host: string
  readonly port: number | undefined
  /** The host as the caller wrote it (lower case, no port): what to connect to when passing through. */
  readonly name: string
}

export interface HostMatch {
  /** The VirtualService host (FQDN or wildcard) that matched. */
  readonly host: string
  readonly virtualService: CompiledVirtualService
  /** At a gateway, a server with `tls.httpsRedirect` serves this host: plain HTTP gets a 301 to https. */
  readonly requireTls?: boolean
}

// ---------------------------------------------------------------------------------------------
// Route tables and gateways

/**
 * The routes one kind of caller sees, looked up by host. The mesh's table (this workload as a
 * sidecar: VirtualServices bound to `mesh`, HTTPRoutes whose parent is a Service) sends a host it
 * has no entry for to the host's own endpoints; a gateway port's table (VirtualServices bound to the
 * gateway, HTTPRoutes attached to it) answers such a host 404, as Envoy does at Istio's gateway.
 */
export interface RouteTable {
  /** `mesh`, or `<namespace>/<name>:<port>` for a gateway port. */
  readonly name: string
  /** `strict`: a host with no entry is not routed (404, Envoy `NR`); `forward`: it goes to its service. */
  readonly unknownHosts: 'strict' | 'forward'
  /**
   * The scheme an upstream call starts from: the request's (`request`: a mesh call to an https URL
   * keeps TLS to the endpoint) or plain `http` (a gateway terminated the client's TLS; as in Envoy,
   * only a DestinationRule's `tls` makes the upstream call TLS).
   */
  readonly upstreamScheme: 'request' | 'http'
  /** The entry for a host: an FQDN for the mesh, the Host as sent (lower case, no port) at a gateway. */
  lookup(host: string): HostMatch | undefined
}

/** TLS a gateway server terminates, with the certificate files it reads (paths as written). */
export interface CompiledServerTls {
  readonly mode: 'SIMPLE' | 'MUTUAL' | 'OPTIONAL_MUTUAL' | 'PASSTHROUGH' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL'
  readonly serverCertificate: string | undefined
  readonly privateKey: string | undefined
  readonly caCertificates: string | undefined
  /** A Kubernetes Secret (Istio credentialName or a Gateway API certificateRef): meshlet cannot read it. */
  readonly credentialName: string | undefined
  readonly minProtocolVersion: string | undefined
  readonly maxProtocolVersion: string | undefined
  readonly cipherSuites: readonly string[]
  readonly subjectAltNames: readonly string[]
}

/** One server of an Istio Gateway, or one listener of a Gateway API Gateway. */
export interface CompiledGatewayServer {
  readonly port: number
  /** Upper case: HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, ... */
  readonly protocol: string
  /** The server's or listener's name. */
  readonly name: string | undefined
  /** Hosts as written (Istio `namespace/host`) or the listener hostname (`*` when it has none). */
  readonly hosts: readonly string[]
  readonly tls: CompiledServerTls | undefined
  readonly httpsRedirect: boolean
  readonly source: ResourceRef
  /** The field path of the server or listener in its resource, for messages. */
  readonly path: readonly (string | number)[]
}

/** Everything a gateway serves on one port: its servers and the route table built for them. */
export interface CompiledGatewayPort {
  readonly port: number
  /** `HTTPS` when the servers terminate TLS, `HTTP` otherwise. */
  readonly protocol: 'HTTP' | 'HTTPS'
  readonly servers: readonly CompiledGatewayServer[]
  readonly routes: RouteTable
  /** Hosts with entries in the table, for the admin view and explain. */
  readonly hosts: readonly string[]
}

/** What meshlet decided about one parentRef of an HTTPRoute, as the Gateway API's route status says it. */
export interface RouteParentStatus {
  readonly route: ResourceRef
  readonly parentRefIndex: number
  /** `namespace/name` of the parent (a Gateway, or a Service for GAMMA). */
  readonly parent: string
  readonly parentKind: string
  /** Accepted: the route attached to at least one listener (or the Service). */
  readonly accepted: boolean
  /** Accepted, NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent, UnsupportedValue. */
  readonly reason: string
  readonly message: string
  /** ResolvedRefs: every backendRef resolved; otherwise the reason (RefNotPermitted, InvalidKind). */
  readonly resolvedRefs: { readonly resolved: boolean; readonly reason: string; readonly message: string }
}

/** The gateway a snapshot was compiled for (createGateway): its resources, ports and route tables. */
export interface CompiledGateway {
  /** `namespace/name` as asked for, or the selector as `key=value,...`. */
  readonly name: string
  /** `Gateway` (Istio) or `KubernetesGateway` (Gateway API). */
  readonly kind: 'Gateway' | 'KubernetesGateway'
  /** The Gateway resources this process implements (a selector may pick several Istio Gateways). */
  readonly sources: readonly ResourceRef[]
  readonly ports: readonly CompiledGatewayPort[]
  /** The port's servers and routes, or undefined when no server listens on it. */
  portFor(port: number): CompiledGatewayPort | undefined
  /** Gateway API: the status of every parentRef naming this gateway. */
  readonly routeStatus: readonly RouteParentStatus[]
}
