/**
 * The behaviour tests that prove each field the fidelity table calls honored. `meshlet fidelity
 * --strict` is only worth running in CI if "honored" is true, so every honored row (and every
 * honored value case of a row) of packages/rules/src/fidelity/field-support.ts names here, by file
 * and title, at least one test that fails when meshlet stops doing what the row says;
 * honored-evidence.test.ts fails when a row names none or a test that does not exist.
 *
 * Keys are `Kind pattern` for a row, `Kind pattern when` for a value case (as the docs write it).
 * Paths are from the repository root.
 */
export interface Evidence {
  readonly file: string
  readonly test: string
}

const RULES = 'packages/rules/test/compile'
const file = (path: string) => (test: string): Evidence => ({ file: path, test })

const routes = file(`${RULES}/routes.test.ts`)
const hosts = file(`${RULES}/hosts.test.ts`)
const retriesCompile = file(`${RULES}/retries.test.ts`)
const delegates = file(`${RULES}/delegate.test.ts`)
const drCompile = file(`${RULES}/destination-rule.test.ts`)
const seCompile = file(`${RULES}/service-entry.test.ts`)
const visibility = file(`${RULES}/visibility.test.ts`)
const explainTest = file('packages/rules/test/explain/explain.test.ts')
const redirectLocation = file('packages/rules/src/route/redirect-location.test.ts')
const routing = file('packages/meshlet/test/routing.test.ts')
const actions = file('packages/meshlet/test/actions.test.ts')
const faultTimeout = file('packages/meshlet/test/fault-timeout.test.ts')
const resilience = file('packages/meshlet/test/resilience.test.ts')
const mirror = file('packages/meshlet/test/mirror.test.ts')
const serviceEntry = file('packages/meshlet/test/service-entry.test.ts')
const connectionPool = file('packages/meshlet/test/connection-pool.test.ts')
const tls = file('packages/meshlet/test/tls-origination.test.ts')
const tlsTransport = file('packages/meshlet/src/transport/tls-transport.test.ts')
const headerOperations = file('packages/meshlet/src/router/header-operations.test.ts')
const routeRequest = file('packages/meshlet/src/router/route-request.test.ts')
const cli = file('packages/meshlet/test/cli.test.ts')
const locality = file('packages/meshlet/test/balancing/locality.test.ts')
const consistentHash = file('packages/meshlet/test/balancing/consistent-hash.test.ts')
const warmupLatency = file('packages/meshlet/test/balancing/warmup-and-latency.test.ts')
const noRequestLost = file('packages/meshlet/test/chaos/no-request-lost.test.ts')
const noDuplicate = file('packages/meshlet/test/chaos/no-duplicate.test.ts')
const outlierChaos = file('packages/meshlet/test/chaos/outlier-ejection.test.ts')
const limits = file('packages/meshlet/test/chaos/limits.test.ts')
const timeoutLayer = file('packages/resilience/src/timeout/layer.test.ts')
const retryLayer = file('packages/resilience/src/retry/layer.test.ts')
const retryOn = file('packages/resilience/src/classify/retry-on.test.ts')
const backoff = file('packages/resilience/src/retry/backoff.test.ts')
const budget = file('packages/resilience/src/retry/budget.test.ts')
const poolLayer = file('packages/resilience/src/pool/layer.test.ts')
const undiciOptions = file('packages/meshlet/src/transport/undici-options.test.ts')
const detector = file('packages/resilience/src/outlier/detector.test.ts')
const breaker = file('packages/resilience/src/breaker/breaker.test.ts')
const createBalancer = file('packages/balancer/src/balancer/create-balancer.test.ts')
const balancerLocality = file('packages/balancer/src/balancer/locality.test.ts')
const algorithms = file('packages/balancer/src/balancer/algorithms.test.ts')
const hashBalancer = file('packages/balancer/src/consistent-hash/consistent-hash.test.ts')
const tableSize = file('packages/balancer/src/consistent-hash/table-size.test.ts')
const picker = file('packages/balancer/src/data-plane/picker.test.ts')
const roundRobin = file('packages/balancer/src/pickers/round-robin.test.ts')
const leastRequest = file('packages/balancer/src/pickers/least-request.test.ts')
const slowStart = file('packages/balancer/src/warmup/slow-start.test.ts')
const registry = file('packages/discovery/src/registry.test.ts')
const workloadPort = file('packages/meshlet/test/discovery/workload-port.test.ts')
const GW = 'packages/meshlet/test/gateway'
const canonical = file(`${GW}/canonical.test.ts`)
const gatewayTls = file(`${GW}/tls.test.ts`)
const servingModes = file(`${GW}/serving-modes.test.ts`)
const istioBinding = file(`${GW}/istio-binding.test.ts`)
const conformance = file(`${GW}/http-route-conformance.test.ts`)
const gamma = file(`${GW}/gamma.test.ts`)
const gatewayValidation = file('packages/rules/test/validation/gateway.test.ts')
const gatewayCompile = file('packages/rules/test/compile/gateway.test.ts')
const h2 = file('packages/meshlet/test/http2/h2-transport.test.ts')
const grpcMesh = file('packages/grpc/test/grpc-through-mesh.test.ts')
const protocols = file('packages/rules/src/protocol/port-protocol.test.ts')
const topologyLabels = file('packages/discovery/src/topology-labels.test.ts')

const HEADER_OPERATIONS = [
  actions('sets, adds and removes request and response headers at route and destination level'),
  actions('lets the route-level set win over a destination-level set when the route has several destinations'),
  headerOperations('unescapes %% and expands %HOSTNAME% as Envoy does'),
]

/** What the endpoint fields of a ServiceEntry and a WorkloadEntry mean, tested through both. */
const WORKLOAD_FIELDS = {
  address: [serviceEntry('sends to a STATIC endpoint whose address is a unix socket, with the caller Host'), serviceEntry('selects WorkloadEntries by the workloadSelector')],
  ports: [serviceEntry('maps the service port by name to each endpoint port and routes to subsets by endpoint labels'), seCompile('takes the WorkloadEntries its workloadSelector selects in its own namespace')],
  labels: [serviceEntry('maps the service port by name to each endpoint port and routes to subsets by endpoint labels'), registry('selects the endpoints of a subset by all of its labels')],
  locality: [locality('prefer the endpoint whose WorkloadEntry locality is the mesh locality'), locality('let a subset select endpoints by the zone of their locality'), topologyLabels('adds region, zone and subzone labels from the locality, replacing labels of the same name')],
  weight: [roundRobin('spreads traffic by ServiceEntry weights 1:3'), seCompile('lists inline endpoints with weight 1 by default'), seCompile('gives a selected WorkloadEntry its weight, locality and network')],
} as const

const REFERENCE_GRANT = [conformance('answers 500 for a rule without backends, a backendRef of an unknown kind, and one in another namespace without a ReferenceGrant')]

export const HONORED_EVIDENCE: Readonly<Record<string, readonly Evidence[]>> = {
  // ── VirtualService ──────────────────────────────────────────────────────────────────────
  'VirtualService spec.hosts': [hosts('resolves a bare name in the caller namespace and strips the port'), hosts('prefers an exact host, then the longest wildcard suffix'), hosts('resolves name.ns and name.ns.svc aliases only to FQDNs the snapshot knows')],
  'VirtualService spec.gateways': [routes('ignores a VirtualService bound only to gateways, and applies one that lists mesh')],
  'VirtualService spec.gateways without `mesh`': [routes('ignores a VirtualService bound only to gateways, and applies one that lists mesh'), istioBinding("routes each request as Istio's gateway would")],
  'VirtualService spec.exportTo': [hosts('hides rules exported only to another namespace')],
  'VirtualService spec.http[].name': [cli('prints the decision for a request with headers'), explainTest('describes a routed request: route, destinations, rewrite, policies')],
  'VirtualService spec.http[].match[].name': [explainTest('names the match entry that selected the route')],
  'VirtualService spec.http[].match[].uri': [routes('matches the uri on the path without its query string'), routes('takes the first route that matches, in order')],
  'VirtualService spec.http[].match[].scheme': [routes('matches scheme and authority as sent, the authority with its port')],
  'VirtualService spec.http[].match[].method': [routes('ORs match entries and ANDs the fields inside one'), explainTest('upper-cases the standard methods as mesh.fetch does, so method rules match alike')],
  'VirtualService spec.http[].match[].authority': [routes('matches scheme and authority as sent, the authority with its port')],
  'VirtualService spec.http[].match[].headers': [
    routing('sends a request matching a header rule to that rule subset'),
    routes('matches header presence with {}'),
    routes('matches headers ":method" against the request method'),
    routes('matches headers ":authority" against the Host as sent, port included'),
    routes('matches headers ":path" against the path with its query string'),
    routes('matches headers ":scheme" against the request scheme'),
    routeRequest('lets pseudo-header matches read the request line, not headers of that name'),
  ],
  'VirtualService spec.http[].match[].withoutHeaders': [routes('inverts withoutHeaders, reading a missing header as empty except for presence'), routes('reads withoutHeaders regex "*" as "header absent"'), routes('inverts a withoutHeaders ":method" match')],
  'VirtualService spec.http[].match[].queryParams': [routes('matches queryParams, with exact "" matching ?key and ?key=')],
  'VirtualService spec.http[].match[].ignoreUriCase': [routes('applies ignoreUriCase to prefixes but not to a regex')],
  'VirtualService spec.http[].match[].port': [routes('compares the match port with the port the request addresses')],
  'VirtualService spec.http[].match[].sourceLabels': [routes('keeps a sourceLabels entry only for a workload whose labels include them')],
  'VirtualService spec.http[].match[].sourceNamespace': [routes('keeps a sourceNamespace entry only in that namespace')],
  'VirtualService spec.http[].match[].gateways': [routes('keeps entries whose gateways name mesh and drops those bound to other gateways')],
  'VirtualService spec.http[].route[].destination.host': [routing('routes a VirtualService host that no ServiceEntry declares'), hosts('expands short names with the namespace of the rule, not the caller')],
  'VirtualService spec.http[].route[].destination.subset': [routing('sends a request matching a header rule to that rule subset'), routing('answers 503 unknown-subset when the route names a subset no DestinationRule defines')],
  'VirtualService spec.http[].route[].destination.port.number': [explainTest('applies the port-level policy of the destination port the route names'), serviceEntry('maps the service port by name to each endpoint port and routes to subsets by endpoint labels')],
  'VirtualService spec.http[].route[].weight': [routing('splits traffic by weight within statistical tolerance under a seeded random'), routes('drops a destination with weight 0 when there are several'), routes('drops a destination with no weight when there are several')],
  'VirtualService spec.http[].route[].headers.request.set': HEADER_OPERATIONS,
  'VirtualService spec.http[].route[].headers.request.add': HEADER_OPERATIONS,
  'VirtualService spec.http[].route[].headers.request.remove': HEADER_OPERATIONS,
  'VirtualService spec.http[].route[].headers.response.set': HEADER_OPERATIONS,
  'VirtualService spec.http[].route[].headers.response.add': HEADER_OPERATIONS,
  'VirtualService spec.http[].route[].headers.response.remove': HEADER_OPERATIONS,
  'VirtualService spec.http[].headers.request.set': HEADER_OPERATIONS,
  'VirtualService spec.http[].headers.request.add': HEADER_OPERATIONS,
  'VirtualService spec.http[].headers.request.remove': HEADER_OPERATIONS,
  'VirtualService spec.http[].headers.response.set': HEADER_OPERATIONS,
  'VirtualService spec.http[].headers.response.add': HEADER_OPERATIONS,
  'VirtualService spec.http[].headers.response.remove': HEADER_OPERATIONS,
  'VirtualService spec.http[].redirect.uri': [actions('is returned as is with redirect: manual'), redirectLocation('replaces the whole path with uri and keeps the request query')],
  'VirtualService spec.http[].redirect.prefixRewrite': [actions('is followed the way fetch follows redirects'), redirectLocation('replaces only the matched prefix with prefixRewrite')],
  'VirtualService spec.http[].redirect.authority': [actions('is returned as is with redirect: manual'), redirectLocation('swaps the authority and drops :443 on https')],
  'VirtualService spec.http[].redirect.scheme': [actions('sets scheme and port as the rule says')],
  'VirtualService spec.http[].redirect.derivePort': [redirectLocation('uses the request port with derivePort FROM_REQUEST_PORT')],
  'VirtualService spec.http[].redirect.redirectCode': [actions('is followed the way fetch follows redirects'), actions('turns a POST into a GET on a followed 301, as fetch does'), explainTest('answers a redirect code Envoy cannot produce as no route')],
  'VirtualService spec.http[].directResponse.status': [actions('answers with the status and body of the rule without calling any upstream')],
  'VirtualService spec.http[].directResponse.body.string': [actions('answers with the status and body of the rule without calling any upstream')],
  'VirtualService spec.http[].directResponse.body.bytes': [actions('decodes a bytes body')],
  'VirtualService spec.http[].delegate.name': [delegates('puts the delegate routes in place of the delegating route, merged with its match'), delegates('inherits fields the delegate route leaves out and keeps those it sets')],
  'VirtualService spec.http[].delegate.namespace': [delegates('defaults the delegate namespace to the root namespace'), delegates('resolves delegate short names in the delegate namespace, root ones in the root namespace')],
  'VirtualService spec.http[].rewrite.uri': [actions('replaces the matched prefix with rewrite.uri, keeping the rest and the query'), actions('replaces the whole path after an exact match')],
  'VirtualService spec.http[].rewrite.uriRegexRewrite': [actions('rewrites the path with a regex and its groups')],
  'VirtualService spec.http[].rewrite.authority': [actions('sends the rewritten authority as Host')],
  'VirtualService spec.http[].timeout': [
    faultTimeout('answers 504 with x-meshlet-reason timeout when the upstream is slower than the route timeout'),
    timeoutLayer('bounds every try and backoff by the route timeout, and starts no try after it'),
    noDuplicate('never retries a request whose route timeout fired, however many attempts the route allows'),
  ],
  'VirtualService spec.http[].retries.attempts': [resilience('retries 5xx answers as the route says, and replays the body'), retryLayer('stops after the configured attempts and says why'), retriesCompile('disables retries with attempts 0')],
  'VirtualService spec.http[].retries.perTryTimeout': [resilience('gives each try its per-try timeout and retries a timed-out try under gateway-error'), noRequestLost('cuts a hung try at perTryTimeout and retries it elsewhere under retryOn reset')],
  'VirtualService spec.http[].retries.retryOn': [
    retryOn('5xx retries any 5xx response and every failure without a response'),
    retryOn('gateway-error retries 502, 503 and 504 only, and failures without a response'),
    retryOn('retriable-status-codes retries the listed codes, given as codes or as integer tokens'),
    noRequestLost('does not retry a per-try timeout under retryOn connect-failure: the caller gets 504'),
  ],
  'VirtualService spec.http[].retries.retryIgnorePreviousHosts': [createBalancer('may repeat a host when retryIgnorePreviousHosts is false'), retriesCompile('reads backoff, retryIgnorePreviousHosts and retryRemoteLocalities')],
  'VirtualService spec.http[].retries.backoff': [retryLayer('waits a jittered backoff before retrying'), backoff('draws retry N from [0, (2^N - 1) x base) under a seeded random'), retriesCompile('reads backoff, retryIgnorePreviousHosts and retryRemoteLocalities')],
  'VirtualService spec.http[].fault.delay.fixedDelay': [faultTimeout('holds a request for the fixed delay on the mesh clock before sending it'), faultTimeout('does not count a fault delay in the route timeout')],
  'VirtualService spec.http[].fault.delay.percentage': [faultTimeout('delays about the configured share of requests, and none without a percentage')],
  'VirtualService spec.http[].fault.delay.percent': [faultTimeout('delays about the configured share of requests, and none without a percentage')],
  'VirtualService spec.http[].fault.abort.httpStatus': [faultTimeout('answers an aborted request locally with the rule status and never calls the upstream or the retry layer')],
  'VirtualService spec.http[].fault.abort.grpcStatus': [faultTimeout('answers a gRPC abort as a trailers-only 200 with grpc-status')],
  'VirtualService spec.http[].fault.abort.percentage': [faultTimeout('aborts about the configured share of requests')],
  'VirtualService spec.http[].mirror.host': [mirror('sends a copy to the mirror with -shadow appended to the Host'), mirror('never delays the primary: it answers while the shadow still hangs')],
  'VirtualService spec.http[].mirror.subset': [mirror('never fails the primary when the mirror cannot be reached')],
  'VirtualService spec.http[].mirror.port.number': [mirror('sends mirror.port and each mirrors[] destination to its own subset and port')],
  'VirtualService spec.http[].mirrors[].destination.host': [mirror('sends each of several mirrors its own copy')],
  'VirtualService spec.http[].mirrors[].destination.subset': [mirror('sends mirror.port and each mirrors[] destination to its own subset and port')],
  'VirtualService spec.http[].mirrors[].destination.port.number': [mirror('sends mirror.port and each mirrors[] destination to its own subset and port')],
  'VirtualService spec.http[].mirrors[].percentage': [mirror('mirrors a mirrors[] entry only for its percentage of calls')],
  'VirtualService spec.http[].mirrorPercentage': [mirror('mirrors about the configured percentage of requests')],
  'VirtualService spec.http[].mirrorPercent': [mirror('reads the deprecated integer mirrorPercent as the share mirrored')],

  // ── DestinationRule ─────────────────────────────────────────────────────────────────────
  'DestinationRule spec.host': [drCompile('finds the most specific DestinationRule for a host')],
  'DestinationRule spec.exportTo': [visibility('applies a DestinationRule exported only to its own namespace in that namespace alone')],
  'DestinationRule spec.workloadSelector.matchLabels': [drCompile('applies a workload-selected rule only to the workloads it selects in its namespace')],
  'DestinationRule spec.subsets[].name': [routing('sends a request matching a header rule to that rule subset'), drCompile('concatenates subsets, dropping a later duplicate name')],
  'DestinationRule spec.subsets[].labels': [routing('answers 503 no-healthy-upstream when no endpoint carries the subset labels'), registry('selects the endpoints of a subset by all of its labels')],
  'DestinationRule spec.trafficPolicy.portLevelSettings[].port.number': [drCompile('replaces the whole top-level policy with a matching port-level entry'), explainTest('applies the port-level policy of the destination port the route names')],
  'DestinationRule spec.trafficPolicy.loadBalancer.simple': [picker('balances each cluster with the algorithm of its policy'), roundRobin('rotates through equal-weight endpoints in list order, each once per round'), leastRequest('is the algorithm when the policy names none (Istio’s default)')],
  'DestinationRule spec.trafficPolicy.loadBalancer.simple = `PASSTHROUGH`': [createBalancer('never picks: the caller connects to the original destination')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.httpHeaderName': [consistentHash('sends a key to the same endpoint every time, and moves about 1/N of the keys when one of N endpoints leaves')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name': [consistentHash('sets the cookie when the request has none, and the cookie then keeps the caller on one endpoint')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.path': [hashBalancer('generates the cookie when it is absent and a ttl is set, and the cookie then sticks')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl': [hashBalancer('generates the cookie when it is absent and a ttl is set, and the cookie then sticks'), hashBalancer('writes a session cookie (no Max-Age) for ttl 0')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.httpQueryParameterName': [picker('hashes a header, a cookie, a query parameter or the inbound source address'), hashBalancer('hashes a cookie, a query parameter and the source IP')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.ringHash.minimumRingSize': [tableSize('builds a ring of at least minimumRingSize entries, 1024 when unset'), drCompile('takes the ring size of ringHash, of the deprecated minimumRingSize, and the maglev table size')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize': [tableSize('splits keys in steps of one maglev table slot: a 7-slot table cannot give two hosts half each'), drCompile('takes the ring size of ringHash, of the deprecated minimumRingSize, and the maglev table size')],
  'DestinationRule spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize': [drCompile('takes the ring size of ringHash, of the deprecated minimumRingSize, and the maglev table size')],
  'DestinationRule spec.trafficPolicy.loadBalancer.localityLbSetting.enabled': [locality('keeps traffic in the local zone, spills as local endpoints are ejected, and comes back when they return'), locality('ignores locality without outlier detection, as Istio does')],
  'DestinationRule spec.trafficPolicy.loadBalancer.localityLbSetting.distribute': [locality('splits traffic by localityLbSetting.distribute weights')],
  'DestinationRule spec.trafficPolicy.loadBalancer.localityLbSetting.failover': [balancerLocality('follows failover from→to: the named region before any other')],
  'DestinationRule spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority': [balancerLocality('orders by failoverPriority labels')],
  'DestinationRule spec.trafficPolicy.loadBalancer.warmupDurationSecs': [drCompile("takes the deprecated warmupDurationSecs as the warmup window, with Istio's default ramp"), warmupLatency('ramps a new endpoint up over the warmup duration while the others keep their share')],
  'DestinationRule spec.trafficPolicy.loadBalancer.warmup.duration': [warmupLatency('ramps a new endpoint up over the warmup duration while the others keep their share')],
  'DestinationRule spec.trafficPolicy.loadBalancer.warmup.minimumPercent': [slowStart('ramps linearly from the minimum to full weight over the window'), slowStart('uses Istio’s defaults of 10 % and aggression 1.0')],
  'DestinationRule spec.trafficPolicy.loadBalancer.warmup.aggression': [slowStart('bends the curve with aggression: time_factor^(1/aggression)')],
  'DestinationRule spec.trafficPolicy.connectionPool.tcp.connectTimeout': [undiciOptions('maps each connection pool field to its undici option')],
  'DestinationRule spec.trafficPolicy.connectionPool.tcp.idleTimeout': [undiciOptions('falls back to tcp.idleTimeout when http.idleTimeout is not set, and reads 0 as never')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests': [resilience('answers 503 overflow with x-envoy-overloaded when the pending queue is full, and never retries it'), poolLayer('queues requests while every connection is busy and runs them in order')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.http2MaxRequests': [
    poolLayer('refuses requests beyond http2MaxRequests without queueing them'),
    h2('answers the calls beyond http2MaxRequests with a local 503 overflow, counting requests, not connections'),
  ],
  'DestinationRule spec.trafficPolicy.connectionPool.http.maxConcurrentStreams': [h2('opens another connection when one carries maxConcurrentStreams streams, never more streams per connection')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.http2KeepAlive': [h2('sends PINGs every http2KeepAlive interval and closes an idle connection after idleTimeout')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.h2UpgradePolicy = `UPGRADE`': [
    h2('upgrades a port with no declared protocol under h2UpgradePolicy UPGRADE (the server speaks only HTTP/2)'),
    protocols('upgrades an HTTP or sniffed port only under UPGRADE without useClientProtocol'),
  ],
  'DestinationRule spec.trafficPolicy.connectionPool.http.useClientProtocol = `true`': [
    protocols('upgrades an HTTP or sniffed port only under UPGRADE without useClientProtocol'),
    protocols('keeps the caller’s protocol on a port without a declared protocol (Istio sniffs it)'),
  ],
  'DestinationRule spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection': [connectionPool('opens a new connection per request with http.maxRequestsPerConnection: 1'), connectionPool('reuses connections with http.maxRequestsPerConnection: 3, closing each after its third request')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.maxRetries': [limits('lets one retry run at a time across the cluster with http.maxRetries: 1'), budget('uses http.maxRetries as a concurrent-retry cap when there is no budget')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.idleTimeout': [undiciOptions('keeps an explicit http.idleTimeout of 1h even when tcp.idleTimeout is set, and uses 1h when neither is set')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.h2UpgradePolicy': [connectionPool('stays HTTP/1.1 with h2UpgradePolicy DEFAULT or DO_NOT_UPGRADE and useClientProtocol false, as in a default Istio mesh')],
  'DestinationRule spec.trafficPolicy.connectionPool.http.useClientProtocol': [connectionPool('stays HTTP/1.1 with h2UpgradePolicy DEFAULT or DO_NOT_UPGRADE and useClientProtocol false, as in a default Istio mesh')],
  'DestinationRule spec.trafficPolicy.outlierDetection.consecutive5xxErrors': [detector('ejects an endpoint inline on its fifth consecutive 5xx, not before'), resilience('ejects an endpoint after consecutive 5xx and sends the next calls to the others')],
  'DestinationRule spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors': [detector('counts gateway errors (502, 503, 504) separately, reset by a 500'), outlierChaos('treats refused connections as gateway errors: the refusing endpoint is ejected and retries stop being needed')],
  'DestinationRule spec.trafficPolicy.outlierDetection.consecutiveErrors': [drCompile('counts the deprecated consecutiveErrors as consecutive gateway errors, as Istio translated it')],
  'DestinationRule spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures': [detector('in split mode ejects on local-origin failures alone and on external 5xx alone')],
  'DestinationRule spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors': [detector('in split mode ejects on local-origin failures alone and on external 5xx alone')],
  'DestinationRule spec.trafficPolicy.outlierDetection.interval': [detector('returns an ejected endpoint at the first sweep after the ejection time'), detector('shortens the next ejection for each interval the endpoint stays healthy')],
  'DestinationRule spec.trafficPolicy.outlierDetection.baseEjectionTime': [detector('ejects for base time × consecutive ejections, capped at 300 s'), outlierChaos('ejects after the configured errors, sends it nothing while out, and lets it back after the ejection time')],
  'DestinationRule spec.trafficPolicy.outlierDetection.maxEjectionPercent': [detector('always lets one endpoint be ejected, then holds to maxEjectionPercent'), outlierChaos('lets every failing endpoint go with maxEjectionPercent 100, and the healthy one takes all calls')],
  'DestinationRule spec.trafficPolicy.outlierDetection.minHealthPercent': [detector('uses ejected endpoints again when the healthy share falls below minHealthPercent'), detector("never panics with Istio's minHealthPercent of 0")],
  'DestinationRule spec.trafficPolicy.outlierDetection.outlierDetectionHttpErrorCodes': [detector('with outlierDetectionHttpErrorCodes counts only the listed codes')],
  'DestinationRule spec.trafficPolicy.tls.mode': [tls('calls the endpoint in plain HTTP with mode DISABLE')],
  'DestinationRule spec.trafficPolicy.tls.mode = `SIMPLE`': [tls('verifies the server with caCertificates and sni (mode SIMPLE)'), tlsTransport('sends the DestinationRule sni as the TLS server name, whatever Host the request carries')],
  'DestinationRule spec.trafficPolicy.tls.mode = `MUTUAL`': [tls('presents clientCertificate and privateKey to a server that requires one (mode MUTUAL)')],
  'DestinationRule spec.trafficPolicy.tls.clientCertificate': [tls('presents clientCertificate and privateKey to a server that requires one (mode MUTUAL)')],
  'DestinationRule spec.trafficPolicy.tls.privateKey': [tls('presents clientCertificate and privateKey to a server that requires one (mode MUTUAL)')],
  'DestinationRule spec.trafficPolicy.tls.caCertificates': [tls('verifies the server with caCertificates and sni (mode SIMPLE)'), tls('refuses a server its caCertificates do not vouch for')],
  'DestinationRule spec.trafficPolicy.tls.sni': [tlsTransport('sends the DestinationRule sni as the TLS server name, whatever Host the request carries'), tls('refuses a server whose certificate does not name the sni')],
  'DestinationRule spec.trafficPolicy.tls.insecureSkipVerify': [tlsTransport('sends the DestinationRule sni as the TLS server name, whatever Host the request carries')],
  'DestinationRule spec.trafficPolicy.retryBudget.percent': [limits('stays near one try per call with retryBudget (20 %, minRetryConcurrency 1)'), budget('allows percent of the requests counted, never below minRetryConcurrency')],
  'DestinationRule spec.trafficPolicy.retryBudget.minRetryConcurrency': [budget('allows percent of the requests counted, never below minRetryConcurrency'), budget("has Envoy's defaults: 20 percent, at least 3")],
  'DestinationRule metadata.annotations["meshlet.io/load-balancer"]': [drCompile('takes any algorithm the meshlet.io/load-balancer annotation names, over simple and consistentHash'), warmupLatency('sends almost nothing to an endpoint that answers ten times slower than its peers')],
  'DestinationRule metadata.annotations["meshlet.io/peak-ewma"]': [algorithms('uses the destination decay (meshlet.io/peak-ewma) over the mesh-wide one'), drCompile('carries the meshlet.io/peak-ewma decay on the compiled load balancer')],
  'DestinationRule metadata.annotations["meshlet.io/outlier-detection"]': [detector('ejects an endpoint whose success rate is an outlier at the end of an interval'), detector('runs ratio ejection alone when the DestinationRule has only the annotation')],
  'DestinationRule metadata.annotations["meshlet.io/circuit-breaker"]': [resilience('opens after enough failures and answers 503 circuit-open without calling the upstream'), breaker('opens when failures exceed the threshold percentage, then answers 503 circuit-open without calling')],

  // ── ServiceEntry ────────────────────────────────────────────────────────────────────────
  'ServiceEntry spec.hosts': [serviceEntry('sends to the endpoints on the targetPort, with the caller Host'), seCompile('finds a host through a wildcard and makes it a known service')],
  'ServiceEntry spec.ports[].number': [serviceEntry('maps the service port by name to each endpoint port and routes to subsets by endpoint labels')],
  'ServiceEntry spec.ports[].name': [serviceEntry('maps the service port by name to each endpoint port and routes to subsets by endpoint labels'), registry('maps a service port to targetPort, or to the endpoint port named like the service port')],
  'ServiceEntry spec.ports[].targetPort': [serviceEntry('sends to the endpoints on the targetPort, with the caller Host')],
  'ServiceEntry spec.ports[].protocol': [serviceEntry('sends to the endpoints on the targetPort, with the caller Host'), grpcMesh('serves a generated client unchanged: a unary call reaches the service')],
  'ServiceEntry spec.ports[].protocol = `GRPC`': [
    h2('hands the trailers of a mesh.fetch Response to responseTrailers once the body is read'),
    h2('speaks HTTP/2 over TLS with ALPN h2 to a server whose certificate a generated CA signed'),
  ],
  'ServiceEntry spec.ports[].protocol = `HTTP2`': [
    h2('speaks cleartext HTTP/2 with prior knowledge to a port declared HTTP2, and hands the trailers to mesh.request'),
    h2('multiplexes concurrent calls to one endpoint over one connection'),
    h2('retries a refused stream under Istio’s default retryOn (refused-stream), as Envoy does'),
    h2('loses no call that had not started when the server sends GOAWAY under load'),
  ],
  'ServiceEntry spec.resolution': [serviceEntry('maps the service port by name to each endpoint port and routes to subsets by endpoint labels')],
  'ServiceEntry spec.resolution = `NONE`': [serviceEntry('passes the call through to the original destination with the DestinationRule policy applied'), registry('passes resolution NONE through to the original destination')],
  'ServiceEntry spec.resolution = `DNS`': [
    serviceEntry('resolves the host and sends to the addresses answered'),
    serviceEntry('resolves again when the TTL runs out and follows the new answer'),
    registry('resolves the WorkloadEntries a DNS ServiceEntry selects, and never its own host when it selects none'),
  ],
  'ServiceEntry spec.endpoints[].address': WORKLOAD_FIELDS.address,
  'ServiceEntry spec.endpoints[].ports': WORKLOAD_FIELDS.ports,
  'ServiceEntry spec.endpoints[].labels': WORKLOAD_FIELDS.labels,
  'ServiceEntry spec.endpoints[].locality': WORKLOAD_FIELDS.locality,
  'ServiceEntry spec.endpoints[].weight': WORKLOAD_FIELDS.weight,
  'ServiceEntry spec.location = `MESH_EXTERNAL`': [serviceEntry('calls a MESH_EXTERNAL host as the caller wrote it, in plain HTTP, as an Istio sidecar does')],
  'ServiceEntry spec.exportTo': [visibility('declares the hosts of a ServiceEntry only in the namespaces it is exported to')],

  // ── WorkloadEntry ───────────────────────────────────────────────────────────────────────
  'WorkloadEntry spec.address': WORKLOAD_FIELDS.address,
  'WorkloadEntry spec.ports': WORKLOAD_FIELDS.ports,
  'WorkloadEntry spec.labels': WORKLOAD_FIELDS.labels,
  'WorkloadEntry spec.locality': WORKLOAD_FIELDS.locality,
  'WorkloadEntry spec.weight': WORKLOAD_FIELDS.weight,
  'WorkloadEntry metadata.annotations["meshlet.io/port"]': [workloadPort('is the endpoint port for every service port the ports map does not name'), workloadPort('is rejected when it is not a port number')],

  // ── Gateway (Istio) ─────────────────────────────────────────────────────────────────────
  'Gateway spec.selector': [servingModes('implements the Istio Gateways whose selector the given workload labels satisfy')],
  'Gateway spec.servers[].port.number': [canonical("splits requests 70/30 between two services by subset labels and balances each share over that service's pods"), servingModes('routes with gateway.handler on a node:http server listening on another port than the Gateway declares'), istioBinding("routes each request as Istio's gateway would")],
  'Gateway spec.servers[].port.protocol': [gatewayTls('serves https with the server certificate, verified against the CA, and forwards x-forwarded-proto https')],
  'Gateway spec.servers[].port.name': [gatewayValidation('reports every problem of a Gateway at once, each at its field')],
  'Gateway spec.servers[].name': [gatewayValidation('reports every problem of a Gateway at once, each at its field')],
  'Gateway spec.servers[].hosts': [istioBinding("routes each request as Istio's gateway would"), canonical("answers 404 for a host no bound VirtualService covers, as Istio's gateway does")],
  'Gateway spec.servers[].tls.httpsRedirect': [gatewayTls('redirects plain HTTP to https with 301 when the server asks for httpsRedirect')],
  'Gateway spec.servers[].tls.mode': [gatewayTls('serves https with the server certificate, verified against the CA, and forwards x-forwarded-proto https')],
  'Gateway spec.servers[].tls.mode = `MUTUAL`': [gatewayTls('requires a client certificate signed by the CA in MUTUAL mode')],
  'Gateway spec.servers[].tls.mode = `OPTIONAL_MUTUAL`': [gatewayTls('asks for a client certificate in OPTIONAL_MUTUAL mode without requiring one')],
  'Gateway spec.servers[].tls.serverCertificate': [gatewayTls('serves https with the server certificate, verified against the CA, and forwards x-forwarded-proto https'), gatewayTls('serves a rotated certificate once its files change, without a restart')],
  'Gateway spec.servers[].tls.privateKey': [gatewayTls('serves a rotated certificate once its files change, without a restart')],
  'Gateway spec.servers[].tls.caCertificates': [gatewayTls('requires a client certificate signed by the CA in MUTUAL mode')],
  'Gateway spec.servers[].tls.minProtocolVersion': [gatewayTls('keeps the TLS versions between minProtocolVersion and maxProtocolVersion')],
  'Gateway spec.servers[].tls.maxProtocolVersion': [gatewayTls('keeps the TLS versions between minProtocolVersion and maxProtocolVersion')],

  // ── Gateway (Gateway API) ───────────────────────────────────────────────────────────────
  'KubernetesGateway spec.gatewayClassName': [conformance('routes each request to the backend the API precedence picks')],
  'KubernetesGateway spec.listeners[].name': [conformance('serves a route only for the hostnames it shares with the listener'), gatewayCompile('reports each parentRef with the reason the API gives when it does not attach')],
  'KubernetesGateway spec.listeners[].hostname': [conformance('serves a route only for the hostnames it shares with the listener')],
  'KubernetesGateway spec.listeners[].port': [conformance('serves a route only for the hostnames it shares with the listener')],
  'KubernetesGateway spec.listeners[].protocol': [conformance('routes each request to the backend the API precedence picks'), gatewayTls('terminates TLS on a Gateway API HTTPS listener with the certificate files of its meshlet.io options')],
  'KubernetesGateway spec.listeners[].tls.mode': [gatewayTls('terminates TLS on a Gateway API HTTPS listener with the certificate files of its meshlet.io options')],
  'KubernetesGateway spec.listeners[].tls.options': [gatewayTls('terminates TLS on a Gateway API HTTPS listener with the certificate files of its meshlet.io options')],
  'KubernetesGateway spec.listeners[].allowedRoutes.namespaces.from': [conformance('reports a route the listener does not allow, and does not serve it')],
  'KubernetesGateway spec.listeners[].allowedRoutes.kinds': [gatewayCompile('reports each parentRef with the reason the API gives when it does not attach')],

  // ── HTTPRoute ───────────────────────────────────────────────────────────────────────────
  'HTTPRoute spec.parentRefs': [conformance('serves a route only for the hostnames it shares with the listener'), gamma("applies to createMesh's outbound calls to that Service and port"), gatewayCompile('reports each parentRef with the reason the API gives when it does not attach')],
  'HTTPRoute spec.hostnames': [conformance('serves a route only for the hostnames it shares with the listener')],
  'HTTPRoute spec.rules[].name': [conformance('names the rule in explain')],
  'HTTPRoute spec.rules[].matches[].path': [conformance('routes each request to the backend the API precedence picks')],
  'HTTPRoute spec.rules[].matches[].headers': [conformance('routes each request to the backend the API precedence picks'), gamma("applies to createMesh's outbound calls to that Service and port")],
  'HTTPRoute spec.rules[].matches[].queryParams': [conformance('routes each request to the backend the API precedence picks')],
  'HTTPRoute spec.rules[].matches[].method': [conformance('routes each request to the backend the API precedence picks')],
  'HTTPRoute spec.rules[].filters[].type': [conformance('modifies request headers (set, add, remove) before sending, and response headers before answering')],
  'HTTPRoute spec.rules[].filters[].requestHeaderModifier': [conformance('modifies request headers (set, add, remove) before sending, and response headers before answering')],
  'HTTPRoute spec.rules[].filters[].responseHeaderModifier': [conformance('modifies request headers (set, add, remove) before sending, and response headers before answering')],
  'HTTPRoute spec.rules[].filters[].requestRedirect': [conformance('answers RequestRedirect filters with the status and Location the API defines')],
  'HTTPRoute spec.rules[].filters[].urlRewrite': [conformance('rewrites the Host and the path (full, or the matched prefix element by element) before sending')],
  'HTTPRoute spec.rules[].filters[].requestMirror': [conformance('mirrors a copy to the mirror backend and answers with the primary')],
  'HTTPRoute spec.rules[].backendRefs[].name': [conformance('splits by backendRef weights and never sends to a weight of 0')],
  'HTTPRoute spec.rules[].backendRefs[].namespace': [conformance('answers 500 for a rule without backends, a backendRef of an unknown kind, and one in another namespace without a ReferenceGrant')],
  'HTTPRoute spec.rules[].backendRefs[].port': [conformance('splits by backendRef weights and never sends to a weight of 0')],
  'HTTPRoute spec.rules[].backendRefs[].weight': [conformance('splits by backendRef weights and never sends to a weight of 0')],
  'HTTPRoute spec.rules[].backendRefs[].group': [conformance('answers 500 for a rule without backends, a backendRef of an unknown kind, and one in another namespace without a ReferenceGrant')],
  'HTTPRoute spec.rules[].backendRefs[].kind': [conformance('answers 500 for a rule without backends, a backendRef of an unknown kind, and one in another namespace without a ReferenceGrant')],
  'HTTPRoute spec.rules[].backendRefs[].filters[].type': [conformance('modifies request headers (set, add, remove) before sending, and response headers before answering')],
  'HTTPRoute spec.rules[].backendRefs[].filters[].requestHeaderModifier': [conformance('modifies request headers (set, add, remove) before sending, and response headers before answering')],
  'HTTPRoute spec.rules[].backendRefs[].filters[].responseHeaderModifier': [conformance('modifies request headers (set, add, remove) before sending, and response headers before answering')],
  'HTTPRoute spec.rules[].timeouts.request': [conformance('answers 504 when the request timeout passes before the backend answers')],
  'HTTPRoute spec.rules[].timeouts.backendRequest': [conformance('answers 504 when one try to the backend takes longer than backendRequest')],
  'HTTPRoute spec.rules[].retry.attempts': [conformance('retries the listed status codes the number of attempts given')],
  'HTTPRoute spec.rules[].retry.codes': [conformance('retries the listed status codes the number of attempts given')],
  'HTTPRoute spec.rules[].retry.backoff': [conformance("compiles retry into the route's retry policy: attempts, codes and the backoff base")],

  // ── ReferenceGrant ──────────────────────────────────────────────────────────────────────
  'ReferenceGrant spec.from[].group': REFERENCE_GRANT,
  'ReferenceGrant spec.from[].kind': REFERENCE_GRANT,
  'ReferenceGrant spec.from[].namespace': REFERENCE_GRANT,
  'ReferenceGrant spec.to[].group': REFERENCE_GRANT,
  'ReferenceGrant spec.to[].kind': REFERENCE_GRANT,
  'ReferenceGrant spec.to[].name': REFERENCE_GRANT,
}
