import type { ResourceKind } from '../source/resource.js'
import { GATEWAY_FIELD_SUPPORT } from './gateway-support.js'
import type { FieldCase, FidelityStatus, FieldSupport, KindSupport } from './types.js'

/**
 * What meshlet does with every Istio field, in one table: the fidelity report judges each field
 * in use by it, and docs/compatibility.md is generated from it (a test keeps them equal). A
 * pattern is a field path with `[]` for any list index. Fields inside a row (a map of headers, a
 * StringMatch) are covered by that row. A field missing here is reported as ignored, "not
 * recognised by this meshlet version"; a test walks a fully populated example of the spec types so
 * that no Istio field we model is missing. Meanings come from reference/istio-semantics.md.
 */

const row = (pattern: string, status: FidelityStatus, reason: string, cases?: readonly FieldCase[]): FieldSupport =>
  cases ? { pattern, status, reason, cases } : { pattern, status, reason }

const equals = (value: string | boolean, status: FidelityStatus, reason: string): FieldCase => ({
  when: `= \`${String(value)}\``,
  test: (written) => written === value,
  status,
  reason,
})

const HONORED = 'honored'
const APPROXIMATED = 'approximated'
const IGNORED = 'ignored'

// Reasons shared by several rows.
const STRICT_PATH = ' A value with NUL, CR, LF, a space, another control character or non-ASCII text is refused at validation (`REQUEST_PATH_INVALID`), where Istio accepts it and Envoy then refuses or breaks the request.'
const STRICT_AUTHORITY = ' A value that is not `host` or `host:port` (NUL, CR, LF, a space, `/`, `@`...) is refused at validation (`AUTHORITY_INVALID`), where Istio accepts it.'
const EXPORT_TO = "A resource not exported to the mesh's `namespace` option is not applied, as Istio hides it from the sidecars of that namespace."
const REQUEST_HEADER_OPS = 'Applied to the call before it is sent, as Istio translates it: `:authority` or `host` becomes an authority rewrite; `%HOSTNAME%` is expanded and `%%` unescaped.'
const RESPONSE_HEADER_OPS = 'Applied to the response before the caller sees it.'
const ENVOY_VARIABLE = /%([A-Z_]+)(\(.*?\))?%/g
/** A value with an Envoy command operator other than %HOSTNAME%, the one meshlet expands. */
const hasUnexpandedVariable = (text: string): boolean => [...text.replace(/%%/g, '').matchAll(ENVOY_VARIABLE)].some((match) => match[1] !== 'HOSTNAME' || match[2] !== undefined)
const HEADER_VARIABLES: FieldCase = {
  when: 'with an Envoy `%VARIABLE%` other than `%HOSTNAME%` in a value',
  test: (value) => typeof value === 'object' && value !== null && Object.values(value).some((v) => typeof v === 'string' && hasUnexpandedVariable(v)),
  status: APPROXIMATED,
  reason: '`%HOSTNAME%` is expanded and `%%` unescaped as Envoy does, but other command operators such as `%DOWNSTREAM_REMOTE_ADDRESS%` are sent as written.',
}
const CORS = 'Applied by the Express and Fastify adapters to requests this service receives (preflights answered, allow headers added); calls made with mesh.fetch are not browser requests and get no CORS handling.'
const DESTINATION_HOST = 'Resolved as Istio does (short names in the rule namespace); its endpoints come from ServiceEntries, WorkloadEntries or the `endpoints` option, else the name is passed to the network.'
const MIRROR = 'Copied fire-and-forget to the mirror destination with `-shadow` appended to the Host; the primary call never waits for it.'
const NOT_HTTP = 'meshlet routes the HTTP calls made through it; TCP and TLS-passthrough routes are not applied.'
const HTTP2_PORT = 'The port speaks HTTP/2 (cleartext with prior knowledge, or ALPN h2 over TLS), one connection per endpoint multiplexing the calls; trailers reach the caller.'

const GATEWAYS_ONLY = {
  when: 'without `mesh`',
  test: (gateways: unknown) => Array.isArray(gateways) && gateways.length > 0 && !gateways.includes('mesh'),
  status: HONORED,
  reason: 'The rule is bound only to gateways: createGateway applies it for the gateways it names, and mesh calls do not, exactly as Istio sidecars skip it.',
} as const satisfies FieldCase

const VIRTUAL_SERVICE: readonly FieldSupport[] = [
  row('spec.hosts', HONORED, 'Matched against the authority the caller used: port stripped, short names expanded in the rule namespace, `name.ns` and `name.ns.svc` aliases, most specific wildcard last.'),
  row('spec.gateways', HONORED, 'No gateways, or `mesh` among them: the rule applies to meshlet, an in-process sidecar.', [GATEWAYS_ONLY]),
  row('spec.exportTo', HONORED, EXPORT_TO),
  row('spec.tcp', IGNORED, NOT_HTTP),
  row('spec.tls', IGNORED, NOT_HTTP),
  row('spec.http[].name', HONORED, 'Names the route in explain() output.'),
  row('spec.http[].match[].name', HONORED, 'Names the match that selected the route in explain() output (`route.match`).'),
  row('spec.http[].match[].uri', HONORED, 'exact, prefix (a raw string prefix) or regex (RE2, full match) on the path without the query string, as Envoy matches.'),
  row('spec.http[].match[].scheme', HONORED, 'Compared with the scheme of the URL called.'),
  row('spec.http[].match[].method', HONORED, 'Compared with the request method.'),
  row('spec.http[].match[].authority', HONORED, 'Compared with the authority the caller used, port included.'),
  row('spec.http[].match[].headers', HONORED, 'Header names case-insensitive; `{}` or `regex: "*"` tests presence; the pseudo-headers `:method`, `:authority` (the Host as sent), `:scheme` and `:path` (with the query) test the request line, as Envoy does.'),
  row('spec.http[].match[].withoutHeaders', HONORED, 'Matches when the header match fails; a missing header counts as empty except for the presence form; pseudo-headers as in `headers`.'),
  row('spec.http[].match[].queryParams', HONORED, 'Matched on the raw query; `exact: ""` matches a key with no value.'),
  row('spec.http[].match[].ignoreUriCase', HONORED, 'Applies to exact and prefix uri matches, not to regex, as in Envoy.'),
  row('spec.http[].match[].port', HONORED, 'Compared with the port the caller addressed (the URL port, or 80/443 from the scheme).'),
  row('spec.http[].match[].sourceLabels', HONORED, "Evaluated once against the mesh's `labels` option, as Istio selects sidecars by pod labels."),
  row('spec.http[].match[].sourceNamespace', HONORED, "Evaluated once against the mesh's `namespace` option."),
  row('spec.http[].match[].gateways', HONORED, 'As `spec.gateways`, for this match: without `mesh` the match does not apply to meshlet.'),
  row('spec.http[].match[].statPrefix', IGNORED, 'An Envoy statistics prefix; meshlet emits no per-route Envoy statistics.'),
  row('spec.http[].route[].destination.host', HONORED, DESTINATION_HOST),
  row('spec.http[].route[].destination.subset', HONORED, 'Endpoints carrying all the subset labels; the subset traffic policy applies.'),
  row('spec.http[].route[].destination.port.number', HONORED, 'Selects the service port and its port-level traffic policy.'),
  row('spec.http[].route[].weight', HONORED, 'Relative weights, one random pick per request as Envoy weighted clusters; with several destinations, weight 0 or none gets no traffic.'),
  row('spec.http[].route[].headers.request.set', HONORED, REQUEST_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].route[].headers.request.add', HONORED, REQUEST_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].route[].headers.request.remove', HONORED, 'Removed before the call is sent.'),
  row('spec.http[].route[].headers.response.set', HONORED, RESPONSE_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].route[].headers.response.add', HONORED, RESPONSE_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].route[].headers.response.remove', HONORED, 'Removed from the response before the caller sees it.'),
  row('spec.http[].headers.request.set', HONORED, REQUEST_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].headers.request.add', HONORED, REQUEST_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].headers.request.remove', HONORED, 'Removed before the call is sent.'),
  row('spec.http[].headers.response.set', HONORED, RESPONSE_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].headers.response.add', HONORED, RESPONSE_HEADER_OPS, [HEADER_VARIABLES]),
  row('spec.http[].headers.response.remove', HONORED, 'Removed from the response before the caller sees it.'),
  row('spec.http[].redirect.uri', HONORED, `Replaces the whole path, whatever the match type.${STRICT_PATH}`),
  row('spec.http[].redirect.prefixRewrite', HONORED, `Replaces the matched uri prefix.${STRICT_PATH}`),
  row('spec.http[].redirect.authority', HONORED, `Replaces the host of the Location.${STRICT_AUTHORITY}`),
  row('spec.http[].redirect.scheme', HONORED, 'Replaces the scheme of the Location.'),
  row('spec.http[].redirect.port', APPROXIMATED, 'Replaces the port, and :80 on http or :443 on https is left out of the Location. Envoy as Istio configures it keeps the caller\'s own port when the redirect asks for the scheme\'s default port (a request to reviews:9080 redirected to port 80 stays on 9080); meshlet sends it to the default port, which is what the rule says.'),
  row('spec.http[].redirect.derivePort', HONORED, '`FROM_PROTOCOL_DEFAULT` (80/443 by scheme) or `FROM_REQUEST_PORT`.'),
  row('spec.http[].redirect.redirectCode', HONORED, '301, 302, 303, 307 and 308 answer with that status (301 when unset); another 3xx leaves the route without an action, as Envoy does.'),
  row('spec.http[].directResponse.status', HONORED, 'Answered locally with this status.'),
  row('spec.http[].directResponse.body.string', HONORED, 'Sent as the body.'),
  row('spec.http[].directResponse.body.bytes', HONORED, 'Decoded from base64 and sent as the body.'),
  row('spec.http[].delegate.name', HONORED, "The delegate's routes are merged into this route as Istio merges them (one level, compatible matches, missing fields inherited)."),
  row('spec.http[].delegate.namespace', HONORED, 'Defaults to the root namespace; the delegate short names resolve in its own namespace.'),
  row('spec.http[].rewrite.uri', HONORED, `Replaces the matched prefix, or the whole path after an exact match (Envoy prefix_rewrite).${STRICT_PATH}`),
  row('spec.http[].rewrite.uriRegexRewrite', HONORED, `RE2 substitution over the path, \`\\1\` groups as in Istio.${STRICT_PATH}`),
  row('spec.http[].rewrite.authority', HONORED, `Replaces the Host/authority sent upstream.${STRICT_AUTHORITY}`),
  row('spec.http[].timeout', HONORED, 'Bounds the whole call including retries and backoff (504 when it fires); no timeout when absent, as Istio disables Envoy\'s 15 s default.'),
  row('spec.http[].retries.attempts', HONORED, 'Retries after the first try; Istio\'s default policy (2 retries) applies when `retries` is absent.'),
  row('spec.http[].retries.perTryTimeout', HONORED, 'Bounds each try, the first included.'),
  row('spec.http[].retries.retryOn', HONORED, "Every policy Istio accepts, with Envoy's meaning; integer tokens are retriable status codes; local overflow and injected faults are never retried."),
  row('spec.http[].retries.retryRemoteLocalities', IGNORED, "Retries are not moved to other locality priorities (Envoy's previous_priorities); they still avoid endpoints already tried."),
  row('spec.http[].retries.retryIgnorePreviousHosts', HONORED, 'Turns off avoiding endpoints already tried.'),
  row('spec.http[].retries.backoff', HONORED, "Base interval of Envoy's fully jittered exponential backoff, capped at ten times the base."),
  row('spec.http[].fault.delay.fixedDelay', HONORED, 'Waits before the call, outside the route timeout, as the Envoy fault filter does.'),
  row('spec.http[].fault.delay.percentage', HONORED, 'Share of calls delayed, drawn per call; none when absent.'),
  row('spec.http[].fault.delay.percent', HONORED, 'Deprecated integer share of calls delayed.'),
  row('spec.http[].fault.delay.exponentialDelay', IGNORED, 'Istio rejects it and never applies it.'),
  row('spec.http[].fault.abort.httpStatus', HONORED, 'Answered locally with this status; never retried.'),
  row('spec.http[].fault.abort.grpcStatus', HONORED, "Answered locally as Envoy's fault filter answers gRPC: HTTP 200, `content-type: application/grpc` and the code in `grpc-status` (trailers-only); never retried."),
  row('spec.http[].fault.abort.http2Error', IGNORED, 'Istio rejects it and never applies it.'),
  row('spec.http[].fault.abort.percentage', HONORED, 'Share of calls aborted, drawn per call; none when absent.'),
  row('spec.http[].mirror.host', HONORED, MIRROR),
  row('spec.http[].mirror.subset', HONORED, 'Subset of the mirror destination.'),
  row('spec.http[].mirror.port.number', HONORED, 'Port of the mirror destination.'),
  row('spec.http[].mirrors[].destination.host', HONORED, MIRROR),
  row('spec.http[].mirrors[].destination.subset', HONORED, 'Subset of the mirror destination.'),
  row('spec.http[].mirrors[].destination.port.number', HONORED, 'Port of the mirror destination.'),
  row('spec.http[].mirrors[].percentage', HONORED, 'Share of calls mirrored, drawn per call; all when absent.'),
  row('spec.http[].mirrorPercentage', HONORED, 'Share of calls mirrored, drawn per call; all when absent.'),
  row('spec.http[].mirrorPercent', HONORED, 'Deprecated integer share of calls mirrored.'),
  row('spec.http[].corsPolicy.allowOrigins', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.allowOrigin', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.allowMethods', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.allowHeaders', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.exposeHeaders', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.maxAge', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.allowCredentials', APPROXIMATED, CORS),
  row('spec.http[].corsPolicy.unmatchedPreflights', APPROXIMATED, CORS),
]

const TLS_FILES = 'Read from this path by the transport when the connection is opened (undici TLS options).'

/** Rows under `spec.trafficPolicy`; a subset's trafficPolicy and portLevelSettings entries reuse them (aliases). */
const DESTINATION_RULE: readonly FieldSupport[] = [
  row('spec.host', HONORED, 'Most specific match (exact, then the longest wildcard); short names expanded in the rule namespace.'),
  row('spec.exportTo', HONORED, EXPORT_TO),
  row('spec.workloadSelector.matchLabels', HONORED, "The rule applies only when the mesh's `labels` option carries these labels, as Istio applies it only to selected workloads."),
  row('spec.subsets[].name', HONORED, 'Named by route and mirror destinations.'),
  row('spec.subsets[].labels', HONORED, 'Endpoints carrying all these labels form the subset.'),
  row('spec.trafficPolicy.portLevelSettings[].port.number', HONORED, "The entry replaces the whole policy for calls to this port, with no inheritance, as in Istio."),
  row('spec.trafficPolicy.loadBalancer.simple', HONORED, 'ROUND_ROBIN, RANDOM and LEAST_REQUEST (the default, also for LEAST_CONN) as Envoy balances.', [
    equals('PASSTHROUGH', HONORED, 'No balancing: the call goes to the address the caller named.'),
  ]),
  row('spec.trafficPolicy.loadBalancer.consistentHash.httpHeaderName', HONORED, 'Hash of this request header; a random pick when it is missing.'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name', HONORED, 'Hash of this cookie; with a `ttl` and no cookie, one is generated and returned with Set-Cookie, as Envoy does.'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.path', HONORED, 'Path attribute of the generated cookie.'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl', HONORED, 'Max-Age of the generated cookie; `0s` makes a session cookie.'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes', IGNORED, 'Not added to the generated cookie in this release (it carries Max-Age, Path and HttpOnly).'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.useSourceIp', APPROXIMATED, "Hashes the client address from the inbound request context the Express and Fastify adapters set; Envoy hashes the downstream connection's address. Without a context the pick is random."),
  row('spec.trafficPolicy.loadBalancer.consistentHash.httpQueryParameterName', HONORED, 'Hash of this query parameter; a random pick when it is missing.'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.ringHash.minimumRingSize', HONORED, 'Ring hash with this minimum ring size (1024 when unset), as Envoy builds it.'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', HONORED, 'Maglev with this table size (65537 when unset).'),
  row('spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize', HONORED, 'Deprecated ring size for ring hash.'),
  row('spec.trafficPolicy.loadBalancer.localityLbSetting.enabled', HONORED, "Locality-aware balancing against the mesh's locality (the `locality` option, else Istio's locality labels in `labels` or ISTIO_METAJSON_LABELS); as in Istio it acts only with outlierDetection, and an ejection moves traffic to the next priority at once."),
  row('spec.trafficPolicy.loadBalancer.localityLbSetting.distribute', HONORED, 'Traffic shares per locality, from the mesh locality.'),
  row('spec.trafficPolicy.loadBalancer.localityLbSetting.failover', HONORED, 'Region failover order for the priorities.'),
  row('spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority', HONORED, "Label-based priorities compared with the mesh's `labels` option plus its topology labels, as Istio compares the proxy's."),
  row('spec.trafficPolicy.loadBalancer.warmupDurationSecs', HONORED, 'Envoy slow start for new endpoints (ROUND_ROBIN and LEAST_REQUEST).'),
  row('spec.trafficPolicy.loadBalancer.warmup.duration', HONORED, 'Envoy slow start window for new endpoints (ROUND_ROBIN and LEAST_REQUEST).'),
  row('spec.trafficPolicy.loadBalancer.warmup.minimumPercent', HONORED, 'Starting weight share of a new endpoint (10 % when unset).'),
  row('spec.trafficPolicy.loadBalancer.warmup.aggression', HONORED, 'Shape of the ramp (1.0, linear, when unset).'),
  row('spec.trafficPolicy.connectionPool.tcp.maxConnections', APPROXIMATED, 'undici caps connections per endpoint; Envoy counts connections across all endpoints of the cluster.'),
  row('spec.trafficPolicy.connectionPool.tcp.connectTimeout', HONORED, 'Connect timeout of each connection (10 s when unset, the mesh default).'),
  row('spec.trafficPolicy.connectionPool.tcp.tcpKeepalive', APPROXIMATED, 'undici turns TCP keep-alive on for every connection with a 60 s initial delay; `time`, `interval` and `probes` are not applied (Node cannot set probe count or interval).'),
  row('spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration', APPROXIMATED, 'A connection is retired after this age when it is next idle (undici clientTtl), not closed mid-request.'),
  row('spec.trafficPolicy.connectionPool.tcp.idleTimeout', HONORED, 'Idle connections close after it when `http.idleTimeout` is unset, as Istio falls back (undici keep-alive timeout); `0s` keeps them open.'),
  row('spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests', HONORED, 'Calls queued for a connection beyond it get a local 503 (overflow) at once, never retried.'),
  row('spec.trafficPolicy.connectionPool.http.http2MaxRequests', HONORED, 'Concurrent requests to the cluster, over HTTP/1.1 and HTTP/2 alike (on HTTP/2 many share a connection, so only this bounds them). Overflow gets a local 503.'),
  row('spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection', HONORED, 'Connection replaced after this many calls (undici maxRequestsPerClient); 1 disables reuse.'),
  row('spec.trafficPolicy.connectionPool.http.maxRetries', HONORED, 'Concurrent retries to the cluster.'),
  row('spec.trafficPolicy.connectionPool.http.idleTimeout', HONORED, 'Idle connections closed after it (undici keep-alive timeout; 1 h when unset).'),
  row('spec.trafficPolicy.connectionPool.http.h2UpgradePolicy', HONORED, '`DEFAULT` and `DO_NOT_UPGRADE` keep HTTP/1.1 on an HTTP port (a default mesh does not upgrade); ports declared HTTP2 or GRPC speak HTTP/2 whatever the policy.', [
    equals('UPGRADE', HONORED, 'The cluster speaks HTTP/2 to its endpoints (cleartext with prior knowledge, or ALPN h2 over TLS), unless `useClientProtocol` is set.'),
  ]),
  row('spec.trafficPolicy.connectionPool.http.useClientProtocol', HONORED, 'Calls keep the protocol the port and upgrade policy give.', [
    equals(true, HONORED, "The caller's protocol is kept: no upgrade. mesh.fetch and mesh.request calls are HTTP/1.1, gRPC calls HTTP/2."),
  ]),
  row('spec.trafficPolicy.connectionPool.http.maxConcurrentStreams', HONORED, 'Streams at once on one HTTP/2 connection (the server’s SETTINGS may lower it); more streams open another connection while tcp.maxConnections allows, else wait.'),
  row('spec.trafficPolicy.connectionPool.http.http2KeepAlive', HONORED, 'An HTTP/2 connection sends a PING every `interval` and is closed when one is not answered within `timeout`.'),
  row('spec.trafficPolicy.outlierDetection.consecutive5xxErrors', HONORED, 'Consecutive 5xx (and local failures) eject an endpoint at once, as Envoy does.'),
  row('spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors', HONORED, 'Consecutive 502/503/504 (and local failures) eject an endpoint at once.'),
  row('spec.trafficPolicy.outlierDetection.consecutiveErrors', HONORED, 'Deprecated; counted as consecutive gateway errors, as Istio translated it.'),
  row('spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures', HONORED, 'Consecutive connect failures, resets and timeouts, with splitExternalLocalOriginErrors.'),
  row('spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors', HONORED, 'Counts local-origin failures apart from HTTP errors.'),
  row('spec.trafficPolicy.outlierDetection.interval', HONORED, 'Sweep period that returns ejected endpoints (10 s when unset).'),
  row('spec.trafficPolicy.outlierDetection.baseEjectionTime', HONORED, 'Ejection time times the number of ejections, capped at 300 s (30 s when unset).'),
  row('spec.trafficPolicy.outlierDetection.maxEjectionPercent', HONORED, "Share of the cluster's endpoints that may be ejected, counting every endpoint (10 % when unset; at least one)."),
  row('spec.trafficPolicy.outlierDetection.minHealthPercent', HONORED, 'Panic threshold: below it ejected endpoints are used again (0 %, never, when unset, as Istio sets).'),
  row('spec.trafficPolicy.outlierDetection.outlierDetectionHttpErrorCodes', HONORED, 'Only these status codes count as errors.'),
  row('spec.trafficPolicy.tls.mode', HONORED, '`DISABLE`: plain HTTP to the endpoint.', [
    equals('SIMPLE', HONORED, 'TLS is originated by the transport (undici), verifying the server with `caCertificates` and `sni`.'),
    equals('MUTUAL', HONORED, 'TLS with the client certificate and key files, originated by the transport (undici).'),
    equals('ISTIO_MUTUAL', IGNORED, 'Needs the mesh CA and workload certificates, which an in-process mesh does not have: calls go out as the URL says (plain HTTP for http://).'),
  ]),
  row('spec.trafficPolicy.tls.clientCertificate', HONORED, TLS_FILES),
  row('spec.trafficPolicy.tls.privateKey', HONORED, TLS_FILES),
  row('spec.trafficPolicy.tls.caCertificates', HONORED, TLS_FILES),
  row('spec.trafficPolicy.tls.sni', HONORED, 'Server name sent in the TLS handshake and verified.'),
  row('spec.trafficPolicy.tls.insecureSkipVerify', HONORED, 'Skips verifying the server certificate.'),
  row('spec.trafficPolicy.tls.credentialName', IGNORED, 'Names a Kubernetes Secret, which meshlet cannot read: use clientCertificate, privateKey and caCertificates file paths.'),
  row('spec.trafficPolicy.tls.subjectAltNames', IGNORED, 'The server certificate is verified against `sni` or the host name, not against this list.'),
  row('spec.trafficPolicy.tls.caCrl', IGNORED, 'No certificate revocation list is given to the TLS client in this release.'),
  row('spec.trafficPolicy.tunnel', IGNORED, 'Tunnelling calls through an HTTP CONNECT proxy is not supported.'),
  row('spec.trafficPolicy.proxyProtocol', IGNORED, 'No PROXY protocol header is sent.'),
  row('spec.trafficPolicy.retryBudget.percent', HONORED, 'Retries allowed while active retries stay under this share of active calls (20 % when unset), per cluster.'),
  row('spec.trafficPolicy.retryBudget.minRetryConcurrency', HONORED, 'Retries always allowed up to this many at once (3 when unset).'),
  row('spec.trafficPolicy.retryBudget.budgetInterval', APPROXIMATED, 'The budget counts the calls started within this interval instead of those in flight, as Envoy does; meshlet estimates that count from two fixed windows (a sliding-window estimate).'),
  row('metadata.annotations["meshlet.io/load-balancer"]', HONORED, 'meshlet extension (Istio ignores it): the balancing algorithm, including PEAK_EWMA; it replaces `simple` and `consistentHash` of every policy of the rule.'),
  row('metadata.annotations["meshlet.io/peak-ewma"]', HONORED, 'meshlet extension (Istio ignores it): settings of peak-EWMA balancing.'),
  row('metadata.annotations["meshlet.io/outlier-detection"]', HONORED, 'meshlet extension (Istio ignores it): success-rate and failure-percentage ejection with Envoy\'s algorithms.'),
  row('metadata.annotations["meshlet.io/circuit-breaker"]', HONORED, 'meshlet extension (Istio ignores it): error-ratio circuit breaker per destination.'),
]

const WORKLOAD: readonly FieldSupport[] = [
  row('address', HONORED, 'Address the transport connects to (an IP, a host name for DNS resolution, or a unix socket).'),
  row('ports', HONORED, 'Endpoint port for each service port name (else targetPort, else the service port).'),
  row('labels', HONORED, 'Matched by subsets and by workload selectors.'),
  row('locality', HONORED, 'region/zone/subzone used by locality-aware balancing, and added as the topology.kubernetes.io/region, zone and topology.istio.io/subzone labels subsets can select on, as Istio does.'),
  row('weight', HONORED, 'Balancing weight (1 when unset).'),
  row('network', IGNORED, 'Multi-network gateways are not used: the endpoint is called directly (the value is only added as the topology.istio.io/network label).'),
  row('serviceAccount', IGNORED, 'A workload identity for mesh mTLS, which meshlet does not use.'),
]
const within = (prefix: string, rows: readonly FieldSupport[]) => rows.map((r) => ({ ...r, pattern: `${prefix}${r.pattern}` }))

const SERVICE_ENTRY: readonly FieldSupport[] = [
  row('spec.hosts', HONORED, 'Adds the hosts to the registry so VirtualServices and DestinationRules can target them.'),
  row('spec.addresses', IGNORED, 'Virtual IPs only capture traffic by address; meshlet routes by host name.'),
  row('spec.ports[].number', HONORED, 'Service port of the hosts.'),
  row('spec.ports[].name', HONORED, 'Links the port to endpoint ports.'),
  row('spec.ports[].targetPort', HONORED, 'Endpoint port when the endpoint names none.'),
  row('spec.ports[].protocol', HONORED, 'HTTP and HTTPS calls are carried as written; a port without protocol keeps the caller’s protocol, as Istio sniffs it (gRPC calls over HTTP/2, others over HTTP/1.1).', [
    equals('GRPC', HONORED, HTTP2_PORT),
    equals('HTTP2', HONORED, HTTP2_PORT),
    equals('GRPC-WEB', APPROXIMATED, `${HTTP2_PORT} meshlet does not translate gRPC-Web; the calls are sent as the caller made them.`),
    equals('TCP', IGNORED, 'meshlet carries HTTP calls only.'),
    equals('TLS', IGNORED, 'meshlet carries HTTP calls only.'),
    equals('MONGO', IGNORED, 'meshlet carries HTTP calls only.'),
  ]),
  row('spec.location', IGNORED, 'Not read by meshlet: Istio uses mesh mTLS (auto mTLS) toward `MESH_INTERNAL` hosts, which an in-process mesh does not have; meshlet calls them as the URL says, as it calls external hosts.', [
    equals('MESH_EXTERNAL', HONORED, 'Not read by meshlet, and nothing differs: Istio calls external hosts without mesh mTLS, as the caller wrote the call, and so does meshlet.'),
  ]),
  row('spec.resolution', HONORED, '`STATIC`: the listed endpoints.', [
    equals('NONE', HONORED, 'The call goes to the address the caller named.'),
    equals('DNS', HONORED, 'The addresses of the endpoints, or of the WorkloadEntries the workloadSelector picks, or else the host itself, resolved with DNS and re-resolved when the TTL expires.'),
    equals('DNS_ROUND_ROBIN', APPROXIMATED, 'The first address of each name is used and read again when its TTL expires; Envoy takes the first address again for each new connection.'),
    equals('DYNAMIC_DNS', APPROXIMATED, 'Resolved like `DNS`.'),
  ]),
  ...within('spec.endpoints[].', WORKLOAD),
  row('spec.workloadSelector.labels', APPROXIMATED, 'Selects the WorkloadEntries of the same namespace; Istio also selects Kubernetes pods, which meshlet cannot see.'),
  row('spec.exportTo', HONORED, EXPORT_TO),
  row('spec.subjectAltNames', IGNORED, 'Server identities for mesh mTLS, which meshlet does not use.'),
]

const TRAFFIC_POLICY_BLOCKS = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'] as const

export const FIELD_SUPPORT: Readonly<Record<ResourceKind, KindSupport>> = {
  ...GATEWAY_FIELD_SUPPORT,
  VirtualService: {
    kind: 'VirtualService',
    aliases: [],
    fields: VIRTUAL_SERVICE,
  },
  DestinationRule: {
    kind: 'DestinationRule',
    aliases: [
      { from: 'spec.subsets[].trafficPolicy', to: 'spec.trafficPolicy', note: 'A subset `trafficPolicy` has the fields of `spec.trafficPolicy`.' },
      ...TRAFFIC_POLICY_BLOCKS.map((block) => ({
        from: `spec.trafficPolicy.portLevelSettings[].${block}`,
        to: `spec.trafficPolicy.${block}`,
        note: `A \`portLevelSettings\` entry's \`${block}\` has the fields of \`spec.trafficPolicy.${block}\`.`,
      })),
    ],
    fields: DESTINATION_RULE,
  },
  ServiceEntry: { kind: 'ServiceEntry', aliases: [], fields: SERVICE_ENTRY },
  WorkloadEntry: {
    kind: 'WorkloadEntry',
    aliases: [],
    fields: [
      ...within('spec.', WORKLOAD),
      row('metadata.annotations["meshlet.io/port"]', HONORED, 'meshlet extension (Istio ignores it): the endpoint port for every service port `ports` does not name, before targetPort; what mesh.register({ port }) writes.'),
    ],
  },
}
