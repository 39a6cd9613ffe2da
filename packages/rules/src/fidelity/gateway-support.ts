import type { FieldCase, FidelityStatus, FieldSupport, KindSupport } from './types.js'

/**
 * Rows for the gateway kinds: Istio's Gateway and the Gateway API's Gateway, HTTPRoute and
 * ReferenceGrant. They apply in createGateway (a Gateway, and the routes bound to it) and, for an
 * HTTPRoute whose parent is a Service, in createMesh (GAMMA).
 */

const HONORED: FidelityStatus = 'honored'
const APPROXIMATED: FidelityStatus = 'approximated'
const IGNORED: FidelityStatus = 'ignored'

const row = (pattern: string, status: FidelityStatus, reason: string, cases?: readonly FieldCase[]): FieldSupport =>
  cases ? { pattern, status, reason, cases } : { pattern, status, reason }
const equals = (value: string, status: FidelityStatus, reason: string): FieldCase => ({ when: `= \`${value}\``, test: (written) => written === value, status, reason })

const NO_SECRETS = 'Names a Kubernetes Secret, which meshlet cannot read: give the certificate and key as files (Istio: serverCertificate and privateKey; Gateway API: the listener tls.options meshlet.io/certificate and meshlet.io/private-key). gateway.listen() refuses to start such a server and says so.'
const NOT_HTTP_GATEWAY = 'meshlet gateways route HTTP: TCP, TLS passthrough and other protocols are not served (gateway.listen() skips such a port and says so).'

const ISTIO_GATEWAY: readonly FieldSupport[] = [
  row('spec.selector', HONORED, 'With createGateway({ gateway: labels }), every Gateway whose selector those labels satisfy is implemented, as Istio applies a Gateway to the gateway pods it selects; with `namespace/name` the Gateway is named directly.'),
  row('spec.servers[].port.number', HONORED, 'gateway.listen() opens this port (0.0.0.0 unless told another host); a handler mounted on another server routes with the table of the server whose port equals its socket port.'),
  row('spec.servers[].port.protocol', HONORED, 'HTTP, HTTP2, GRPC and GRPC-WEB are served as HTTP/1.1 requests; HTTPS terminates TLS.', [
    equals('TCP', 'ignored', NOT_HTTP_GATEWAY),
    equals('TLS', 'ignored', NOT_HTTP_GATEWAY),
    equals('MONGO', 'ignored', NOT_HTTP_GATEWAY),
  ]),
  row('spec.servers[].port.name', HONORED, 'Names the server in messages.'),
  row('spec.servers[].port.targetPort', IGNORED, 'Only meaningful for a Service in front of gateway pods; gateway.listen() opens `number`.'),
  row('spec.servers[].hosts', HONORED, '`namespace/host`, `./host` and `*/host` choose which VirtualServices bind (by their namespace) and for which hosts; a VirtualService host and a server host intersect to the more specific one, as Istio does.'),
  row('spec.servers[].name', HONORED, 'Names the server in messages.'),
  row('spec.servers[].bind', IGNORED, 'gateway.listen() binds the host it is given (default 0.0.0.0).'),
  row('spec.servers[].defaultEndpoint', IGNORED, 'Sidecar ingress only; not used at a gateway.'),
  row('spec.servers[].tls.httpsRedirect', HONORED, 'A plain HTTP request for a host of this server gets 301 to the same URL with https, as Envoy require_tls does.'),
  row('spec.servers[].tls.mode', HONORED, '`SIMPLE`: TLS terminated with the certificate files.', [
    equals('MUTUAL', 'honored', 'TLS terminated and a client certificate signed by caCertificates required.'),
    equals('OPTIONAL_MUTUAL', 'honored', 'TLS terminated; a client certificate is asked for and, when sent, verified against caCertificates.'),
    equals('PASSTHROUGH', 'ignored', NOT_HTTP_GATEWAY),
    equals('AUTO_PASSTHROUGH', 'ignored', NOT_HTTP_GATEWAY),
    equals('ISTIO_MUTUAL', 'ignored', 'Needs mesh workload certificates, which an in-process gateway does not have.'),
  ]),
  row('spec.servers[].tls.serverCertificate', HONORED, 'Read when the listener starts and again whenever the file changes.'),
  row('spec.servers[].tls.privateKey', HONORED, 'Read when the listener starts and again whenever the file changes.'),
  row('spec.servers[].tls.caCertificates', HONORED, 'Client certificates are verified against it (MUTUAL); reloaded when the file changes.'),
  row('spec.servers[].tls.minProtocolVersion', HONORED, 'Node TLS minVersion.'),
  row('spec.servers[].tls.maxProtocolVersion', HONORED, 'Node TLS maxVersion.'),
  row('spec.servers[].tls.cipherSuites', APPROXIMATED, 'Passed to Node as its cipher list: OpenSSL names, as Envoy takes them; a name OpenSSL does not know fails listen().'),
  row('spec.servers[].tls.credentialName', IGNORED, NO_SECRETS),
  row('spec.servers[].tls.credentialNames', IGNORED, NO_SECRETS),
  row('spec.servers[].tls.tlsCertificates', APPROXIMATED, 'The first certificate and key are served; Envoy picks among several by the client.'),
  row('spec.servers[].tls.subjectAltNames', IGNORED, 'Client certificates are verified against the CA only, not against these names.'),
  row('spec.servers[].tls.verifyCertificateSpki', IGNORED, 'Client certificates are verified against the CA only.'),
  row('spec.servers[].tls.verifyCertificateHash', IGNORED, 'Client certificates are verified against the CA only.'),
  row('spec.servers[].tls.caCrl', IGNORED, 'No certificate revocation list is checked.'),
]

const KUBERNETES_GATEWAY: readonly FieldSupport[] = [
  row('spec.gatewayClassName', HONORED, 'meshlet implements the Gateway createGateway names, whatever its class (a class only chooses the implementation).'),
  row('spec.listeners[].name', HONORED, 'The section name a parentRef may name.'),
  row('spec.listeners[].hostname', HONORED, 'Routes attach for the hostnames that intersect it; a request for another host gets 404.'),
  row('spec.listeners[].port', HONORED, 'gateway.listen() opens this port.'),
  row('spec.listeners[].protocol', HONORED, 'HTTP and HTTPS take HTTPRoutes.', [equals('TLS', 'ignored', NOT_HTTP_GATEWAY), equals('TCP', 'ignored', NOT_HTTP_GATEWAY), equals('UDP', 'ignored', NOT_HTTP_GATEWAY)]),
  row('spec.listeners[].tls.mode', HONORED, '`Terminate`: TLS terminated with the listener certificate.', [equals('Passthrough', 'ignored', NOT_HTTP_GATEWAY)]),
  row('spec.listeners[].tls.certificateRefs', IGNORED, NO_SECRETS),
  row('spec.listeners[].tls.options', HONORED, 'meshlet.io/certificate, meshlet.io/private-key and meshlet.io/ca-certificates give the PEM files (with a CA, client certificates are required); other options are not read.'),
  row('spec.listeners[].tls.frontendValidation', IGNORED, 'Client certificates are asked for through the meshlet.io/ca-certificates option instead.'),
  row('spec.listeners[].allowedRoutes.namespaces.from', HONORED, '`Same` (the default) and `All` decide which namespaces may attach routes.', [
    equals('Selector', 'ignored', 'meshlet does not know namespace labels: no route attaches through a selector, and the route status says why.'),
  ]),
  row('spec.listeners[].allowedRoutes.namespaces.selector', IGNORED, 'meshlet does not know namespace labels.'),
  row('spec.listeners[].allowedRoutes.kinds', HONORED, 'Only HTTPRoute is served; a listener that does not allow it takes no route.'),
  row('spec.addresses', IGNORED, 'gateway.listen() binds the host it is given.'),
  row('spec.infrastructure', IGNORED, 'Describes the deployment of a gateway; meshlet runs in your process.'),
]

const NOT_ON_BACKEND = 'meshlet applies header modifiers per backendRef; this filter is applied only at rule level.'
const FILTERS = (prefix: string, onBackend: boolean): FieldSupport[] => [
  row(`${prefix}.type`, HONORED, 'Which filter applies.', [equals('CORS', 'ignored', 'CORS filters are not applied at the gateway.'), equals('ExtensionRef', 'ignored', 'No extension filters exist in meshlet.')]),
  row(`${prefix}.requestHeaderModifier`, HONORED, 'set, add (appended) and remove on the request before it is sent.'),
  row(`${prefix}.responseHeaderModifier`, HONORED, 'set, add and remove on the response before the client sees it.'),
  row(`${prefix}.requestRedirect`, onBackend ? IGNORED : HONORED, onBackend ? 'Refused at validation: the API allows a redirect on the rule only.' : 'Answered with the status code (302 by default) and a Location built from scheme, hostname, port and path (ReplaceFullPath, ReplacePrefixMatch element by element); without scheme or port the listener port is kept, with a scheme its well-known port.'),
  row(`${prefix}.urlRewrite`, onBackend ? IGNORED : HONORED, onBackend ? NOT_ON_BACKEND : 'hostname replaces the Host sent upstream; path ReplaceFullPath or ReplacePrefixMatch (element by element) rewrites the path.'),
  row(`${prefix}.requestMirror`, onBackend ? IGNORED : HONORED, onBackend ? NOT_ON_BACKEND : 'Copied fire-and-forget to the backend, percent or fraction of requests; the response is never waited for.'),
  row(`${prefix}.cors`, IGNORED, 'CORS filters are not applied at the gateway.'),
  row(`${prefix}.extensionRef`, IGNORED, 'No extension filters exist in meshlet.'),
]

const HTTP_ROUTE: readonly FieldSupport[] = [
  row('spec.parentRefs', HONORED, 'A Gateway (section name and port narrow the listeners) for createGateway; a Service (GAMMA) for createMesh calls to it, `port` keeping the route to calls to that port. A parentRef that does not attach is reported (meshlet validate, the admin view) with the API reason.'),
  row('spec.hostnames', HONORED, 'Intersected with the listener hostname; a more specific hostname wins. Ignored for a Service parent, as the API says.'),
  row('spec.rules[].name', HONORED, 'Names the route in explain output.'),
  row('spec.rules[].matches[].path', HONORED, 'Exact, PathPrefix (element by element: /abc matches /abc/x, not /abcx) and RegularExpression (RE2, full match, as Istio).'),
  row('spec.rules[].matches[].headers', HONORED, 'Exact or RegularExpression; names case-insensitive; the first entry for a name counts.'),
  row('spec.rules[].matches[].queryParams', HONORED, 'Exact or RegularExpression on the raw value; the first occurrence of a parameter counts.'),
  row('spec.rules[].matches[].method', HONORED, 'Compared with the request method.'),
  ...FILTERS('spec.rules[].filters[]', false),
  row('spec.rules[].backendRefs[].name', HONORED, 'A Service in the route namespace (or `namespace`, when a ReferenceGrant allows it); another kind answers 500 for its share, as the API requires.'),
  row('spec.rules[].backendRefs[].namespace', HONORED, 'Allowed only with a ReferenceGrant in that namespace; otherwise 500 (RefNotPermitted).'),
  row('spec.rules[].backendRefs[].port', HONORED, 'The Service port called.'),
  row('spec.rules[].backendRefs[].weight', HONORED, 'Relative weight (1 by default; 0 gets no traffic), one random pick per request.'),
  row('spec.rules[].backendRefs[].group', HONORED, 'Only the core group (Services) is sent to; another group answers 500.'),
  row('spec.rules[].backendRefs[].kind', HONORED, 'Only Service is sent to; another kind answers 500.'),
  ...FILTERS('spec.rules[].backendRefs[].filters[]', true),
  row('spec.rules[].timeouts.request', HONORED, 'Bounds the whole request, retries included (504); `0s` disables it.'),
  row('spec.rules[].timeouts.backendRequest', HONORED, 'Bounds each try to a backend (504 on the last).'),
  row('spec.rules[].retry.attempts', HONORED, 'Retries after the first try.'),
  row('spec.rules[].retry.codes', HONORED, 'Retried status codes, besides connection failures.'),
  row('spec.rules[].retry.backoff', HONORED, "Base interval of Envoy's jittered exponential backoff."),
  row('spec.rules[].sessionPersistence', IGNORED, 'Session persistence is not applied.'),
]

const REFERENCE_GRANT: readonly FieldSupport[] = [
  row('spec.from[].group', HONORED, 'The group of the referring kind (gateway.networking.k8s.io for HTTPRoutes).'),
  row('spec.from[].kind', HONORED, 'The referring kind: HTTPRoute.'),
  row('spec.from[].namespace', HONORED, 'HTTPRoutes of this namespace may name backends in the grant\'s namespace.'),
  row('spec.to[].group', HONORED, 'The group of what may be named ("" for Services).'),
  row('spec.to[].kind', HONORED, 'What may be named: Service.'),
  row('spec.to[].name', HONORED, 'Only this Service, when given; every Service otherwise.'),
]


export const GATEWAY_FIELD_SUPPORT = {
  Gateway: { kind: 'Gateway', aliases: [], fields: ISTIO_GATEWAY },
  KubernetesGateway: { kind: 'KubernetesGateway', aliases: [], fields: KUBERNETES_GATEWAY },
  HTTPRoute: { kind: 'HTTPRoute', aliases: [], fields: HTTP_ROUTE },
  ReferenceGrant: { kind: 'ReferenceGrant', aliases: [], fields: REFERENCE_GRANT },
} as const satisfies Record<string, KindSupport>
