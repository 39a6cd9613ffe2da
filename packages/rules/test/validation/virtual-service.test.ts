import { describe, expect, it } from 'vitest'
import { formatDiagnostic, formatPath } from '@meshlet/rules'
import type { Diagnostic } from '@meshlet/rules'
import { describeFindings, errorsOf, findingsAt, validateYaml, warningsOf } from './helpers.js'

type Expected = readonly [severity: 'error' | 'warning', path: string, code: string, messagePart: string]

interface Case {
  /** Completes "it(...)": a sentence about the behaviour. */
  readonly it: string
  /** The VirtualService spec (YAML, wrapped into a document named default/test). */
  readonly spec: string
  /** Omitted: the spec must produce no error. Otherwise every listed finding, and no other error. */
  readonly findings?: readonly Expected[]
}

const OK_ROUTE = `
hosts: [reviews]
http:
- route:
  - destination: {host: reviews}
`

/** A spec with one http route whose body is `routeBody` (YAML lines of the route, indented by 2). */
const withRoute = (routeBody: string, top = 'hosts: [reviews]'): string => `${top}\nhttp:\n- ${routeBody.trim().split('\n').map((line, i) => (i === 0 ? line : `  ${line}`)).join('\n')}\n`

const FORWARD = 'route:\n- destination: {host: reviews}'
/** FORWARD as the first key of a list item written by hand (`- ${FORWARD_ITEM}`). */
const FORWARD_ITEM = 'route:\n  - destination: {host: reviews}'

const cases: readonly Case[] = [
  // ── valid resources ────────────────────────────────────────────────────────────────────
  { it: 'accepts a minimal VirtualService', spec: OK_ROUTE },
  { it: 'accepts weights that do not add up to 100 (they are relative)', spec: withRoute('route:\n- destination: {host: reviews, subset: v1}\n  weight: 60\n- destination: {host: reviews, subset: v2}\n  weight: 30') },
  { it: 'accepts weights that add up to more than 100', spec: withRoute('route:\n- destination: {host: a}\n  weight: 1000\n- destination: {host: b}\n  weight: 50') },
  { it: 'accepts a single destination with weight 0', spec: withRoute('route:\n- destination: {host: reviews}\n  weight: 0') },
  { it: 'accepts one weighted destination beside one without weight', spec: withRoute('route:\n- destination: {host: a}\n  weight: 100\n- destination: {host: b}') },
  { it: 'accepts an IP address as a host', spec: `hosts: [10.0.0.1, "2001:db8::1"]\nhttp:\n- ${FORWARD_ITEM}` },
  { it: 'accepts a wildcard host', spec: `hosts: ["*.example.com", "*-api.example.org"]\nhttp:\n- ${FORWARD_ITEM}` },
  { it: 'accepts host "*" on a VirtualService bound only to gateways', spec: `hosts: ["*"]\ngateways: [istio-system/ingress]\nhttp:\n- ${FORWARD_ITEM}` },
  { it: 'accepts a delegate VirtualService without hosts', spec: `http:\n- ${FORWARD_ITEM}` },
  { it: 'accepts a root route that delegates', spec: withRoute('match:\n- uri: {prefix: /reviews}\ndelegate: {name: reviews-routes, namespace: prod}\ntimeout: 5s') },
  { it: 'accepts an empty uri prefix', spec: withRoute(`match:\n- uri: {prefix: ""}\n${FORWARD}`) },
  { it: 'accepts an empty exact uri', spec: withRoute(`match:\n- uri: {exact: ""}\n${FORWARD}`) },
  { it: 'accepts {} as a header presence match', spec: withRoute(`match:\n- headers:\n    end-user: {}\n${FORWARD}`) },
  { it: 'accepts regex "*" as a presence match in withoutHeaders', spec: withRoute(`match:\n- withoutHeaders:\n    x-debug: {regex: "*"}\n${FORWARD}`) },
  { it: 'accepts an empty exact query parameter (matches ?key)', spec: withRoute(`match:\n- queryParams:\n    debug: {exact: ""}\n${FORWARD}`) },
  { it: 'accepts upper-case header names and matchable pseudo-headers', spec: withRoute(`match:\n- headers:\n    X-User: {exact: jason}\n    ":method": {exact: POST}\n${FORWARD}`) },
  { it: 'accepts a redirect with a uri and a 302', spec: withRoute('redirect: {uri: /v2/reviews, authority: new.example.com, redirectCode: 302}') },
  { it: 'accepts a redirect that derives its port from the request', spec: withRoute('redirect: {scheme: https, derivePort: FROM_REQUEST_PORT}') },
  { it: 'accepts prefixRewrite when every uri match is a prefix', spec: withRoute('match:\n- uri: {prefix: /old}\n- headers: {x-a: {exact: b}}\nredirect: {prefixRewrite: /new}') },
  { it: 'accepts directResponse status 600, which the webhook lets through', spec: withRoute('directResponse: {status: 600}') },
  { it: 'accepts a direct response with a text body', spec: withRoute('directResponse:\n  status: 503\n  body: {string: "service unavailable"}') },
  { it: 'accepts a base64 direct response body', spec: withRoute('directResponse:\n  status: 200\n  body: {bytes: "aGVsbG8="}') },
  { it: 'accepts retries with policies and a registered status code', spec: withRoute(`${FORWARD}\nretries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset,503,retriable-status-codes", backoff: 50ms}`) },
  { it: 'accepts attempts: 0 alone to disable retries', spec: withRoute(`${FORWARD}\nretries: {attempts: 0}`) },
  { it: 'accepts abort status 600', spec: withRoute(`${FORWARD}\nfault:\n  abort: {httpStatus: 600, percentage: {value: 1}}`) },
  { it: 'accepts a gRPC abort by status name', spec: withRoute(`${FORWARD}\nfault:\n  abort: {grpcStatus: UNAVAILABLE, percentage: {value: 0.5}}`) },
  { it: 'accepts a fixed delay with a percentage', spec: withRoute(`${FORWARD}\nfault:\n  delay: {fixedDelay: 7s, percentage: {value: 100}}`) },
  { it: 'accepts a mirror with a mirrorPercentage of 0', spec: withRoute(`${FORWARD}\nmirror: {host: shadow}\nmirrorPercentage: {value: 0}`) },
  { it: 'accepts a mirror percentage below 0.0001 (mirrors have no floor)', spec: withRoute(`${FORWARD}\nmirror: {host: shadow}\nmirrorPercentage: {value: 0.00001}`) },
  { it: 'accepts a list of mirrors', spec: withRoute(`${FORWARD}\nmirrors:\n- destination: {host: shadow-a}\n  percentage: {value: 25}\n- destination: {host: shadow-b, subset: v2}`) },
  { it: 'accepts a CORS policy', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*\\\\.example\\\\.org"}]\n  allowMethods: [GET, POST, "*"]\n  allowHeaders: [x-custom, "*"]\n  exposeHeaders: [x-trace]\n  maxAge: 24h\n  allowCredentials: true\n  unmatchedPreflights: IGNORE`) },
  { it: 'accepts Envoy header variables and escaped percent signs', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {x-host: "%HOSTNAME%", x-ratio: "100%%", x-copy: "%REQ(x-a)%", x-tab: "a\\tb"}\n  response:\n    add: {x-served-by: "%UPSTREAM_HOST%"}\n    remove: [x-internal]`) },
  { it: 'accepts a uri rewrite and a regex rewrite on separate routes', spec: `hosts: [reviews]\nhttp:\n- match: [{uri: {prefix: /a}}]\n  rewrite: {uri: /b, authority: b.example.com}\n  ${FORWARD_ITEM}\n- rewrite:\n    uriRegexRewrite: {match: "^/c/(.*)", rewrite: "/d/\\\\1"}\n  ${FORWARD_ITEM}` },
  { it: 'accepts setting the Host header once as an authority rewrite', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {host: api.example.com}`) },
  { it: 'accepts compound Go durations', spec: withRoute(`${FORWARD}\ntimeout: 1h30m\nretries: {attempts: 2, perTryTimeout: 1.5s}`) },
  { it: 'accepts upper-case subset names, which DNS-1123 labels allow in Istio', spec: withRoute('route:\n- destination: {host: reviews, subset: V1, port: {number: 9080}}') },
  { it: 'accepts mesh and namespace/name gateways', spec: `hosts: [reviews]\ngateways: [mesh, istio-system/ingress]\nhttp:\n- ${FORWARD_ITEM}` },
  { it: 'accepts exportTo "." and a namespace', spec: `${OK_ROUTE}exportTo: [".", other-ns]` },
  { it: 'accepts source selectors in a match', spec: withRoute(`match:\n- sourceLabels: {app: productpage, version: v1}\n  sourceNamespace: frontend\n  port: 9080\n  gateways: [mesh]\n  ignoreUriCase: true\n  name: from-frontend\n  statPrefix: fe\n${FORWARD}`) },
  { it: 'accepts JWT claim routing on a gateway-only VirtualService', spec: `hosts: ["api.example.com"]\ngateways: [istio-system/ingress]\nhttp:\n- match:\n  - headers:\n      "@request.auth.claims.group": {exact: admin}\n  ${FORWARD_ITEM}` },
  { it: 'accepts tcp routes', spec: 'hosts: [db]\ntcp:\n- match: [{port: 5432, destinationSubnets: [10.0.0.0/8]}]\n  route:\n  - destination: {host: db, port: {number: 5432}}' },
  { it: 'accepts tls routes whose SNI hosts are covered by the hosts', spec: 'hosts: ["*.example.com"]\ntls:\n- match: [{sniHosts: [a.example.com], port: 443}]\n  route:\n  - destination: {host: a.example.com}' },
  { it: 'accepts integers written as strings, as protobuf JSON does', spec: withRoute('route:\n- destination: {host: a}\n  weight: "70"\n- destination: {host: b}\n  weight: 30') },

  // ── top level ──────────────────────────────────────────────────────────────────────────
  { it: 'rejects an unknown top-level field and suggests the right one', spec: `hosts: [reviews]\nhtttp: []\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.htttp', 'UNKNOWN_FIELD', 'did you mean "http"']] },
  { it: 'rejects a misspelt route field such as retires', spec: withRoute(`${FORWARD}\nretires: {attempts: 3}`), findings: [['error', 'spec.http[0].retires', 'UNKNOWN_FIELD', 'did you mean "retries"']] },
  { it: 'rejects a spec that is not an object', spec: '- reviews', findings: [['error', 'spec', 'TYPE', 'must be an object']] },
  { it: 'requires at least one http, tcp or tls route', spec: 'hosts: [reviews]', findings: [['error', 'spec', 'ROUTES_REQUIRED', 'at least one http route']] },
  { it: 'rejects hosts written as a string', spec: `hosts: reviews\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts', 'TYPE', 'must be a list']] },
  { it: 'rejects a wildcard in the middle of a host', spec: `hosts: ["foo.*.com"]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[0]', 'HOST_INVALID', 'wildcard is only allowed in the first label']] },
  { it: 'rejects an empty host', spec: `hosts: [""]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[0]', 'HOST_INVALID', 'empty']] },
  { it: 'rejects host "*" for a VirtualService that applies to the mesh', spec: `hosts: ["*"]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[0]', 'HOST_WILDCARD_MESH', 'not allowed']] },
  { it: 'rejects host "*" when the gateways include mesh', spec: `hosts: ["*"]\ngateways: [mesh, istio-system/ingress]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[0]', 'HOST_WILDCARD_MESH', 'applies to the mesh']] },
  { it: 'rejects a host that a wildcard host of the same VirtualService covers', spec: `hosts: ["*.foo.com", a.foo.com]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[1]', 'HOST_DUPLICATE', 'overlaps host "*.foo.com"']] },
  { it: 'rejects two overlapping wildcard hosts', spec: `hosts: ["*.foo.bar", "*.bar"]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[1]', 'HOST_DUPLICATE', 'overlaps']] },
  { it: 'rejects the same host listed twice', spec: `hosts: [reviews, reviews]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.hosts[1]', 'HOST_DUPLICATE', 'keep only one']] },
  { it: 'rejects gateways on a delegate VirtualService', spec: `gateways: [mesh]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.gateways', 'DELEGATE_VS_CONFLICT', 'must not set gateways']] },
  { it: 'rejects tcp routes on a delegate VirtualService', spec: 'tcp:\n- route:\n  - destination: {host: db}', findings: [['error', 'spec.tcp', 'DELEGATE_VS_CONFLICT', 'must not set tcp']] },
  { it: 'rejects a wildcard gateway name', spec: `hosts: [reviews]\ngateways: ["istio-system/*"]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.gateways[0]', 'GATEWAY_INVALID', 'wildcards are not allowed']] },
  { it: 'rejects a wildcard gateway namespace', spec: `hosts: [reviews]\ngateways: ["*/ingress"]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.gateways[0]', 'GATEWAY_INVALID', 'invalid namespace']] },
  { it: 'rejects a gateway name that is not a DNS name', spec: `hosts: [reviews]\ngateways: [my_gateway]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.gateways[0]', 'GATEWAY_INVALID', 'invalid gateway name']] },
  { it: 'rejects a gateway reference with an empty namespace', spec: `hosts: [reviews]\ngateways: [/ingress]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['error', 'spec.gateways[0]', 'GATEWAY_INVALID', 'must not be empty']] },
  { it: 'stops checking gateway names after the first one without a slash, as Istio does', spec: `hosts: [reviews]\ngateways: [mesh, "not_checked/*"]\nhttp:\n- ${FORWARD_ITEM}` },
  { it: 'warns about the legacy name.namespace gateway format', spec: `hosts: [reviews]\ngateways: [ingress.istio-system]\nhttp:\n- ${FORWARD_ITEM}`, findings: [['warning', 'spec.gateways[0]', 'GATEWAY_LEGACY_FORMAT', '"istio-system/ingress"']] },
  { it: 'rejects exportTo "~", which only ServiceEntry allows', spec: `${OK_ROUTE}exportTo: ["~"]`, findings: [['error', 'spec.exportTo[0]', 'EXPORT_TO_INVALID', 'ServiceEntry']] },
  { it: 'rejects exportTo listing "." and the own namespace', spec: `${OK_ROUTE}exportTo: [".", default]`, findings: [['error', 'spec.exportTo[1]', 'EXPORT_TO_DUPLICATE', 'duplicate']] },
  { it: 'rejects exportTo "*" beside other namespaces', spec: `${OK_ROUTE}exportTo: ["*", other]`, findings: [['error', 'spec.exportTo', 'EXPORT_TO_PUBLIC_MIXED', 'every namespace']] },
  { it: 'rejects an exportTo entry that is not a namespace name', spec: `${OK_ROUTE}exportTo: [Bad_NS]`, findings: [['error', 'spec.exportTo[0]', 'EXPORT_TO_INVALID', 'DNS-1123']] },

  // ── route actions ──────────────────────────────────────────────────────────────────────
  { it: 'rejects a null http route', spec: 'hosts: [reviews]\nhttp:\n- null', findings: [['error', 'spec.http[0]', 'NULL_VALUE', 'must not be null']] },
  { it: 'requires an action on every http route', spec: withRoute('match:\n- uri: {prefix: /a}'), findings: [['error', 'spec.http[0]', 'ROUTE_ACTION_REQUIRED', 'route (forward to destinations), redirect or directResponse']] },
  { it: 'rejects a route that both forwards and redirects', spec: withRoute(`${FORWARD}\nredirect: {uri: /b}`), findings: [['error', 'spec.http[0].route', 'ROUTE_ACTION_CONFLICT', 'cannot be combined with redirect']] },
  { it: 'rejects fault injection on a redirect', spec: withRoute('redirect: {uri: /b}\nfault:\n  abort: {httpStatus: 500, percentage: {value: 1}}'), findings: [['error', 'spec.http[0].fault', 'ROUTE_ACTION_CONFLICT', 'redirect']] },
  { it: 'rejects a rewrite on a redirect', spec: withRoute('redirect: {uri: /b}\nrewrite: {uri: /c}'), findings: [['error', 'spec.http[0].rewrite', 'ROUTE_ACTION_CONFLICT', 'redirect']] },
  { it: 'rejects a redirect together with a direct response', spec: withRoute('redirect: {uri: /b}\ndirectResponse: {status: 200}'), findings: [['error', 'spec.http[0].directResponse', 'ROUTE_ACTION_CONFLICT', 'redirect']] },
  { it: 'rejects a direct response that also forwards', spec: withRoute(`${FORWARD}\ndirectResponse: {status: 200}`), findings: [['error', 'spec.http[0].route', 'ROUTE_ACTION_CONFLICT', 'directResponse']] },
  { it: 'rejects fault injection on a direct response', spec: withRoute('directResponse: {status: 200}\nfault:\n  delay: {fixedDelay: 1s, percentage: {value: 1}}'), findings: [['error', 'spec.http[0].fault', 'ROUTE_ACTION_CONFLICT', 'directResponse']] },
  { it: 'rejects a delegating root route that also forwards', spec: withRoute(`delegate: {name: reviews-routes}\n${FORWARD}`), findings: [['error', 'spec.http[0].route', 'ROOT_ROUTE_CONFLICT', 'delegate VirtualService decides']] },
  { it: 'rejects delegation from a delegate VirtualService', spec: 'http:\n- delegate: {name: deeper}\n  route:\n  - destination: {host: reviews}', findings: [['error', 'spec.http[0].delegate', 'DELEGATE_NESTED', 'one level deep']] },
  { it: 'rejects mirror together with mirrors', spec: withRoute(`${FORWARD}\nmirror: {host: a}\nmirrors:\n- destination: {host: b}`), findings: [['error', 'spec.http[0].mirrors', 'MIRROR_CONFLICT', 'either mirror or mirrors']] },

  // ── match ──────────────────────────────────────────────────────────────────────────────
  { it: 'rejects a string match with two kinds', spec: withRoute(`match:\n- uri: {exact: /a, prefix: /a}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].uri', 'ONEOF_CONFLICT', 'only one of exact, prefix or regex']] },
  { it: 'rejects an empty method prefix', spec: withRoute(`match:\n- method: {prefix: ""}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].method.prefix', 'STRING_MATCH_EMPTY', 'prefix must not be empty']] },
  { it: 'rejects an empty uri regex', spec: withRoute(`match:\n- uri: {regex: ""}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].uri.regex', 'STRING_MATCH_EMPTY', 'regex must not be empty']] },
  { it: 'rejects look-ahead, which RE2 does not support', spec: withRoute(`match:\n- uri: {regex: "/a(?=b)"}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].uri.regex', 'REGEX_INVALID', 'not a valid RE2 regex']] },
  { it: 'rejects back-references, which RE2 does not support', spec: withRoute(`match:\n- authority: {regex: "(a)\\\\1"}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].authority.regex', 'REGEX_INVALID', 'RE2']] },
  { it: 'rejects a regex longer than 1024 characters', spec: withRoute(`match:\n- uri: {regex: "${'a'.repeat(1025)}"}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].uri.regex', 'REGEX_INVALID', 'must not exceed 1024']] },
  { it: 'rejects a null header match', spec: withRoute(`match:\n- headers:\n    end-user: null\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].headers["end-user"]', 'NULL_VALUE', 'use {} to match presence']] },
  { it: 'rejects regex "*" in a header match (only withoutHeaders reads it as presence)', spec: withRoute(`match:\n- headers:\n    end-user: {regex: "*"}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].headers["end-user"].regex', 'REGEX_INVALID', 'RE2']] },
  { it: 'rejects an empty header prefix', spec: withRoute(`match:\n- headers:\n    end-user: {prefix: ""}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].headers["end-user"].prefix', 'STRING_MATCH_EMPTY', 'must not be empty']] },
  { it: 'rejects a header name with a space', spec: withRoute(`match:\n- headers:\n    "end user": {exact: jason}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].headers["end user"]', 'HEADER_NAME_INVALID', 'not a valid header name']] },
  { it: 'rejects an unknown pseudo-header in a match', spec: withRoute(`match:\n- headers:\n    ":foo": {exact: x}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].headers[":foo"]', 'HEADER_NAME_INVALID', 'not a valid header name']] },
  { it: 'rejects JWT claim routing on a VirtualService that applies to the mesh', spec: withRoute(`match:\n- headers:\n    "@request.auth.claims.group": {exact: admin}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].headers["@request.auth.claims.group"]', 'JWT_CLAIM_ROUTING_GATEWAY_ONLY', 'bound to gateways']] },
  { it: 'rejects a null withoutHeaders match', spec: withRoute(`match:\n- withoutHeaders:\n    x-debug: null\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].withoutHeaders["x-debug"]', 'NULL_VALUE', 'must not be null']] },
  { it: 'rejects an empty query parameter regex', spec: withRoute(`match:\n- queryParams:\n    id: {regex: ""}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].queryParams.id.regex', 'STRING_MATCH_EMPTY', 'must not be empty']] },
  { it: 'rejects an empty query parameter prefix', spec: withRoute(`match:\n- queryParams:\n    id: {prefix: ""}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].queryParams.id.prefix', 'STRING_MATCH_EMPTY', 'must not be empty']] },
  { it: 'rejects ignoreUriCase that is not a boolean', spec: withRoute(`match:\n- ignoreUriCase: "yes"\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].ignoreUriCase', 'TYPE', 'true or false']] },
  { it: 'rejects a match port above 65535', spec: withRoute(`match:\n- port: 70000\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].port', 'RANGE', '1..65535']] },
  { it: 'rejects a sourceLabels key that is not a label key', spec: withRoute(`match:\n- sourceLabels: {"-app": web}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].sourceLabels["-app"]', 'LABEL_INVALID', 'invalid label key']] },
  { it: 'rejects a sourceLabels value with a space', spec: withRoute(`match:\n- sourceLabels: {app: "my app"}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].sourceLabels.app', 'LABEL_INVALID', 'invalid label value']] },
  { it: 'rejects a sourceNamespace that is not a DNS-1123 label', spec: withRoute(`match:\n- sourceNamespace: front_end\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].sourceNamespace', 'NAMESPACE_INVALID', 'DNS-1123']] },
  { it: 'rejects an invalid per-match gateway', spec: withRoute(`match:\n- gateways: ["istio-system/"]\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].gateways[0]', 'GATEWAY_INVALID', 'must not be empty']] },
  { it: 'rejects a null match entry', spec: withRoute(`match:\n- null\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0]', 'NULL_VALUE', 'must not be null']] },
  { it: 'rejects an unknown match field', spec: withRoute(`match:\n- url: {prefix: /a}\n${FORWARD}`), findings: [['error', 'spec.http[0].match[0].url', 'UNKNOWN_FIELD', 'did you mean "uri"']] },

  // ── destinations and weights ────────────────────────────────────────────────────────────
  { it: 'requires a destination host', spec: withRoute('route:\n- destination: {subset: v1}'), findings: [['error', 'spec.http[0].route[0].destination.host', 'REQUIRED', 'destination.host is required']] },
  { it: 'requires a destination in each route entry', spec: withRoute('route:\n- weight: 100'), findings: [['error', 'spec.http[0].route[0].destination', 'REQUIRED', 'destination is required']] },
  { it: 'rejects destination host "*"', spec: withRoute('route:\n- destination: {host: "*"}'), findings: [['error', 'spec.http[0].route[0].destination.host', 'DESTINATION_HOST_INVALID', 'name one service']] },
  { it: 'rejects an IP address as destination host', spec: withRoute('route:\n- destination: {host: 10.1.2.3}'), findings: [['error', 'spec.http[0].route[0].destination.host', 'DESTINATION_HOST_INVALID', 'IP address']] },
  { it: 'rejects a destination host that is not a domain name', spec: withRoute('route:\n- destination: {host: reviews_v1}'), findings: [['error', 'spec.http[0].route[0].destination.host', 'DESTINATION_HOST_INVALID', 'label "reviews_v1" invalid']] },
  { it: 'rejects a subset name with a dot', spec: withRoute('route:\n- destination: {host: reviews, subset: v1.0}'), findings: [['error', 'spec.http[0].route[0].destination.subset', 'SUBSET_INVALID', 'DNS-1123']] },
  { it: 'rejects a subset name with an underscore', spec: withRoute('route:\n- destination: {host: reviews, subset: canary_v2}'), findings: [['error', 'spec.http[0].route[0].destination.subset', 'SUBSET_INVALID', 'invalid subset name']] },
  { it: 'requires port.number when port is given', spec: withRoute('route:\n- destination: {host: reviews, port: {}}'), findings: [['error', 'spec.http[0].route[0].destination.port.number', 'REQUIRED', 'port.number is required']] },
  { it: 'rejects a destination port above 65535', spec: withRoute('route:\n- destination: {host: reviews, port: {number: 70000}}'), findings: [['error', 'spec.http[0].route[0].destination.port.number', 'RANGE', '1..65535']] },
  { it: 'rejects a destination written as a string', spec: withRoute('route:\n- destination: reviews'), findings: [['error', 'spec.http[0].route[0].destination', 'TYPE', 'must be an object like {host: reviews, subset: v1}']] },
  { it: 'rejects a negative weight', spec: withRoute('route:\n- destination: {host: a}\n  weight: 10\n- destination: {host: b}\n  weight: -1'), findings: [['error', 'spec.http[0].route[1].weight', 'WEIGHT_NEGATIVE', 'negative']] },
  { it: 'rejects weights that add up to 0 with several destinations', spec: withRoute('route:\n- destination: {host: a}\n  weight: 0\n- destination: {host: b}\n  weight: 0'), findings: [['error', 'spec.http[0].route', 'WEIGHTS_SUM_ZERO', 'add up to 0']] },
  { it: 'rejects several destinations without any weight', spec: withRoute('route:\n- destination: {host: a}\n- destination: {host: b}'), findings: [['error', 'spec.http[0].route', 'WEIGHTS_SUM_ZERO', 'positive weight']] },
  { it: 'counts a negative weight into the total, as Istio does', spec: withRoute('route:\n- destination: {host: a}\n  weight: -1\n- destination: {host: b}\n  weight: 1'), findings: [['error', 'spec.http[0].route[0].weight', 'WEIGHT_NEGATIVE', 'negative'], ['error', 'spec.http[0].route', 'WEIGHTS_SUM_ZERO', 'add up to 0']] },
  { it: 'rejects an IPv6 address as destination host', spec: withRoute('route:\n- destination: {host: "2001:db8::1"}'), findings: [['error', 'spec.http[0].route[0].destination.host', 'DESTINATION_HOST_INVALID', 'ServiceEntry']] },
  { it: 'rejects a fractional weight', spec: withRoute('route:\n- destination: {host: a}\n  weight: 1.5'), findings: [['error', 'spec.http[0].route[0].weight', 'TYPE', 'must be an integer']] },

  // ── header operations ──────────────────────────────────────────────────────────────────
  { it: 'rejects setting the :path pseudo-header', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {":path": /x}`), findings: [['error', 'spec.http[0].headers.request.set[":path"]', 'HEADER_OPERATION_INVALID', 'pseudo-headers other than :authority']] },
  { it: 'rejects the Host header in a response operation', spec: withRoute(`${FORWARD}\nheaders:\n  response:\n    set: {Host: x}`), findings: [['error', 'spec.http[0].headers.response.set.Host', 'HEADER_OPERATION_INVALID', 'Host header']] },
  { it: 'rejects removing the Host header', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    remove: [host]`), findings: [['error', 'spec.http[0].headers.request.remove[0]', 'HEADER_OPERATION_INVALID', 'rewrite.authority']] },
  { it: 'rejects removing :authority', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    remove: [":authority"]`), findings: [['error', 'spec.http[0].headers.request.remove[0]', 'HEADER_OPERATION_INVALID', 'pseudo-headers']] },
  { it: 'rejects an empty header name', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    add: {"": x}`), findings: [['error', 'spec.http[0].headers.request.add[""]', 'HEADER_OPERATION_INVALID', 'must not be empty']] },
  { it: 'rejects an unescaped percent sign in a header value', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {x-a: "abc%def"}`), findings: [['error', 'spec.http[0].headers.request.set["x-a"]', 'HEADER_VALUE_INVALID', '"%%"']] },
  { it: 'rejects a trailing lone percent sign after a variable', spec: withRoute(`${FORWARD}\nheaders:\n  response:\n    add: {x-a: "%START_TIME%%"}`), findings: [['error', 'spec.http[0].headers.response.add["x-a"]', 'HEADER_VALUE_INVALID', 'lone "%"']] },
  { it: 'rejects a control character in a header value', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {x-a: "line\\nbreak"}`), findings: [['error', 'spec.http[0].headers.request.set["x-a"]', 'HEADER_VALUE_INVALID', 'control characters']] },
  { it: 'checks header operations of each destination', spec: withRoute('route:\n- destination: {host: a}\n  headers:\n    response:\n      add: {":status": "200"}'), findings: [['error', 'spec.http[0].route[0].headers.response.add[":status"]', 'HEADER_OPERATION_INVALID', 'pseudo-headers']] },
  { it: 'rejects rewriting the authority in rewrite and in a header', spec: withRoute(`${FORWARD}\nrewrite: {authority: a.example.com}\nheaders:\n  request:\n    set: {host: b.example.com}`), findings: [['error', 'spec.http[0].headers.request.set.host', 'AUTHORITY_SET_TWICE', 'already rewritten to "a.example.com"']] },
  { it: 'rejects setting :authority and adding Host', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {":authority": a}\n    add: {Host: b}`), findings: [['error', 'spec.http[0].headers.request.add.Host', 'AUTHORITY_SET_TWICE', 'set it once']] },

  // ── characters that would break a request line, a Host or a Location ──────────────────────
  { it: 'rejects a CR LF in rewrite.uri, which Envoy refuses when it loads the route', spec: withRoute(`${FORWARD}\nrewrite: {uri: "/a\\r\\nSet-Cookie: x=1"}`), findings: [['error', 'spec.http[0].rewrite.uri', 'REQUEST_PATH_INVALID', 'carriage return']] },
  { it: 'rejects a space in rewrite.uri and says how to encode it', spec: withRoute(`${FORWARD}\nrewrite: {uri: "/a b"}`), findings: [['error', 'spec.http[0].rewrite.uri', 'REQUEST_PATH_INVALID', 'percent-encode it (%20)']] },
  { it: 'rejects non-ASCII text in a regex rewrite replacement', spec: withRoute(`${FORWARD}\nrewrite:\n  uriRegexRewrite: {match: "^/b", rewrite: "/café"}`), findings: [['error', 'spec.http[0].rewrite.uriRegexRewrite.rewrite', 'REQUEST_PATH_INVALID', '%C3%A9']] },
  { it: 'rejects a LF in rewrite.authority', spec: withRoute(`${FORWARD}\nrewrite: {authority: "a.example.com\\nx-evil: 1"}`), findings: [['error', 'spec.http[0].rewrite.authority', 'AUTHORITY_INVALID', 'line feed']] },
  { it: 'rejects a path or credentials in rewrite.authority', spec: withRoute(`${FORWARD}\nrewrite: {authority: "user@a.example.com/x"}`), findings: [['error', 'spec.http[0].rewrite.authority', 'AUTHORITY_INVALID', '"@" cannot appear in a host']] },
  { it: 'rejects a port out of range in rewrite.authority', spec: withRoute(`${FORWARD}\nrewrite: {authority: "a.example.com:99999"}`), findings: [['error', 'spec.http[0].rewrite.authority', 'AUTHORITY_INVALID', '1 to 65535']] },
  { it: 'accepts a host, a host:port and an IPv6 literal as authority', spec: withRoute(`${FORWARD}\nrewrite: {authority: "[2001:db8::1]:8080"}`) },
  { it: 'rejects a CR LF in redirect.uri, which would inject a header into the Location', spec: withRoute(`redirect: {uri: "/a\\r\\nSet-Cookie: x=1"}`), findings: [['error', 'spec.http[0].redirect.uri', 'REQUEST_PATH_INVALID', 'inject headers']] },
  { it: 'rejects a NUL in redirect.prefixRewrite', spec: withRoute(`match:\n- uri: {prefix: /a}\nredirect: {prefixRewrite: "/b\\0"}`), findings: [['error', 'spec.http[0].redirect.prefixRewrite', 'REQUEST_PATH_INVALID', 'NUL']] },
  { it: 'rejects a space in redirect.authority', spec: withRoute(`redirect: {authority: "a b"}`), findings: [['error', 'spec.http[0].redirect.authority', 'AUTHORITY_INVALID', 'a space']] },
  { it: 'accepts a redirect uri with its own query', spec: withRoute(`redirect: {uri: "/new?x=1&y=%20"}`) },
  { it: 'checks an authority set through a Host header like rewrite.authority', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {host: "a\\r\\nx: y"}`), findings: [['error', 'spec.http[0].headers.request.set.host', 'AUTHORITY_INVALID', 'carriage return']] },
  { it: 'rejects a header value with a character Node cannot send', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    set: {x-a: "日本"}`), findings: [['error', 'spec.http[0].headers.request.set["x-a"]', 'HEADER_VALUE_INVALID', 'above U+00FF']] },
  { it: 'rejects a header operation name that is not an HTTP token', spec: withRoute(`${FORWARD}\nheaders:\n  response:\n    add: {"x a": "1"}`), findings: [['error', 'spec.http[0].headers.response.add["x a"]', 'HEADER_OPERATION_INVALID', 'not a valid header name']] },

  // ── rewrite ────────────────────────────────────────────────────────────────────────────
  { it: 'rejects an empty rewrite', spec: withRoute(`${FORWARD}\nrewrite: {}`), findings: [['error', 'spec.http[0].rewrite', 'REWRITE_EMPTY', 'uri, uriRegexRewrite or authority']] },
  { it: 'rejects a rewrite with uri and uriRegexRewrite', spec: withRoute(`${FORWARD}\nrewrite:\n  uri: /a\n  uriRegexRewrite: {match: "^/b", rewrite: /c}`), findings: [['error', 'spec.http[0].rewrite.uriRegexRewrite', 'REWRITE_CONFLICT', 'not both']] },
  { it: 'rejects a regex rewrite without its replacement', spec: withRoute(`${FORWARD}\nrewrite:\n  uriRegexRewrite: {match: "^/b"}`), findings: [['error', 'spec.http[0].rewrite.uriRegexRewrite', 'REGEX_REWRITE_INCOMPLETE', 'both match']] },
  { it: 'rejects a regex rewrite whose pattern is not RE2', spec: withRoute(`${FORWARD}\nrewrite:\n  uriRegexRewrite: {match: "^/(?<!x)b", rewrite: /c}`), findings: [['error', 'spec.http[0].rewrite.uriRegexRewrite.match', 'REGEX_INVALID', 'RE2']] },

  // ── redirect ───────────────────────────────────────────────────────────────────────────
  { it: 'rejects a redirect that changes nothing', spec: withRoute('redirect: {redirectCode: 301}'), findings: [['error', 'spec.http[0].redirect', 'REDIRECT_EMPTY', 'must change something']] },
  { it: 'rejects a redirect with both uri and prefixRewrite', spec: withRoute('redirect: {uri: /a, prefixRewrite: /b}'), findings: [['error', 'spec.http[0].redirect.prefixRewrite', 'REDIRECT_CONFLICT', 'not both']] },
  { it: 'rejects prefixRewrite when a uri match is exact', spec: withRoute('match:\n- uri: {prefix: /a}\n- uri: {exact: /b}\nredirect: {prefixRewrite: /c}'), findings: [['error', 'spec.http[0].redirect.prefixRewrite', 'REDIRECT_PREFIX_REWRITE_NEEDS_PREFIX_MATCH', 'match[1].uri is a exact match']] },
  { it: 'rejects the misremembered field redirectPrefix', spec: withRoute('redirect: {redirectPrefix: /c}'), findings: [['error', 'spec.http[0].redirect.redirectPrefix', 'UNKNOWN_FIELD', 'unknown field'], ['error', 'spec.http[0].redirect', 'REDIRECT_EMPTY', 'must change something']] },
  { it: 'rejects a redirect scheme other than http or https', spec: withRoute('redirect: {scheme: ftp}'), findings: [['error', 'spec.http[0].redirect.scheme', 'REDIRECT_SCHEME_INVALID', '"http" or "https"']] },
  { it: 'rejects port together with derivePort', spec: withRoute('redirect: {port: 8443, derivePort: FROM_PROTOCOL_DEFAULT}'), findings: [['error', 'spec.http[0].redirect.derivePort', 'ONEOF_CONFLICT', 'either port or derivePort']] },
  { it: 'rejects a redirect port above 65535', spec: withRoute('redirect: {port: 70000}'), findings: [['error', 'spec.http[0].redirect.port', 'RANGE', '1..65535']] },
  { it: 'rejects an unknown derivePort value', spec: withRoute('redirect: {derivePort: FROM_ANYWHERE}'), findings: [['error', 'spec.http[0].redirect.derivePort', 'ENUM', 'FROM_PROTOCOL_DEFAULT']] },
  { it: 'rejects a redirect code outside 3xx', spec: withRoute('redirect: {uri: /a, redirectCode: 200}'), findings: [['error', 'spec.http[0].redirect.redirectCode', 'REDIRECT_CODE_INVALID', 'not a redirect code']] },
  { it: 'warns about a 3xx code Envoy cannot redirect with', spec: withRoute('redirect: {uri: /a, redirectCode: 304}'), findings: [['warning', 'spec.http[0].redirect.redirectCode', 'REDIRECT_CODE_UNSUPPORTED', '301, 302, 303, 307 or 308']] },

  // ── direct response ────────────────────────────────────────────────────────────────────
  { it: 'requires a direct response status', spec: withRoute('directResponse: {body: {string: hi}}'), findings: [['error', 'spec.http[0].directResponse.status', 'REQUIRED', 'status is required']] },
  { it: 'rejects a direct response status below 200', spec: withRoute('directResponse: {status: 199}'), findings: [['error', 'spec.http[0].directResponse.status', 'HTTP_STATUS_INVALID', 'out of range']] },
  { it: 'rejects a direct response status above 600', spec: withRoute('directResponse: {status: 601}'), findings: [['error', 'spec.http[0].directResponse.status', 'HTTP_STATUS_INVALID', '200..599']] },
  { it: 'rejects a body with both string and bytes', spec: withRoute('directResponse:\n  status: 200\n  body: {string: a, bytes: "YQ=="}'), findings: [['error', 'spec.http[0].directResponse.body', 'ONEOF_CONFLICT', 'not both']] },
  { it: 'rejects body bytes that are not base64', spec: withRoute('directResponse:\n  status: 200\n  body: {bytes: "not base64!"}'), findings: [['error', 'spec.http[0].directResponse.body.bytes', 'TYPE', 'base64']] },
  { it: 'rejects a direct response body above 1 MiB', spec: withRoute(`directResponse:\n  status: 200\n  body: {string: "${'x'.repeat(1024 * 1024 + 1)}"}`), findings: [['error', 'spec.http[0].directResponse.body.string', 'BODY_TOO_LARGE', 'at most 1 MiB']] },
  { it: 'warns about a direct response body above 100 KiB', spec: withRoute(`directResponse:\n  status: 200\n  body: {string: "${'x'.repeat(100 * 1024 + 1)}"}`), findings: [['warning', 'spec.http[0].directResponse.body.string', 'BODY_LARGE', 'above 100 KiB']] },

  // ── retries and timeouts ───────────────────────────────────────────────────────────────
  { it: 'rejects negative retry attempts', spec: withRoute(`${FORWARD}\nretries: {attempts: -1}`), findings: [['error', 'spec.http[0].retries.attempts', 'RETRY_ATTEMPTS_NEGATIVE', 'negative']] },
  { it: 'rejects a retry policy when attempts is 0', spec: withRoute(`${FORWARD}\nretries: {attempts: 0, perTryTimeout: 2s}`), findings: [['error', 'spec.http[0].retries.attempts', 'RETRY_DISABLED_WITH_POLICY', 'disables retries, yet perTryTimeout is set']] },
  { it: 'rejects retryOn without attempts, since omitted attempts means 0', spec: withRoute(`${FORWARD}\nretries: {retryOn: 5xx}`), findings: [['error', 'spec.http[0].retries', 'RETRY_DISABLED_WITH_POLICY', 'omitted (0)']] },
  { it: 'rejects retryRemoteLocalities when attempts is 0, even when false', spec: withRoute(`${FORWARD}\nretries: {attempts: 0, retryRemoteLocalities: false}`), findings: [['error', 'spec.http[0].retries.attempts', 'RETRY_DISABLED_WITH_POLICY', 'retryRemoteLocalities is set']] },
  { it: 'rejects a space after a comma in retryOn', spec: withRoute(`${FORWARD}\nretries: {attempts: 2, retryOn: "5xx, gateway-error"}`), findings: [['error', 'spec.http[0].retries.retryOn', 'RETRY_ON_INVALID', 'has spaces']] },
  { it: 'rejects an unknown retryOn policy', spec: withRoute(`${FORWARD}\nretries: {attempts: 2, retryOn: "5xx,connect-timeout"}`), findings: [['error', 'spec.http[0].retries.retryOn', 'RETRY_ON_INVALID', '"connect-timeout" is not a retryOn policy']] },
  { it: 'rejects a retryOn status code that is not registered', spec: withRoute(`${FORWARD}\nretries: {attempts: 2, retryOn: "499"}`), findings: [['error', 'spec.http[0].retries.retryOn', 'RETRY_ON_INVALID', 'not a registered HTTP status code']] },
  { it: 'rejects an empty retryOn entry', spec: withRoute(`${FORWARD}\nretries: {attempts: 2, retryOn: "5xx,"}`), findings: [['error', 'spec.http[0].retries.retryOn', 'RETRY_ON_INVALID', 'empty entry']] },
  { it: 'rejects a perTryTimeout with days', spec: withRoute(`${FORWARD}\nretries: {attempts: 2, perTryTimeout: 1d}`), findings: [['error', 'spec.http[0].retries.perTryTimeout', 'DURATION', 'unknown unit "d"']] },
  { it: 'rejects a backoff under 1 ms', spec: withRoute(`${FORWARD}\nretries: {attempts: 2, backoff: 500us}`), findings: [['error', 'spec.http[0].retries.backoff', 'DURATION', 'greater than 1ms']] },
  { it: 'rejects timeout 0s and says to omit it', spec: withRoute(`${FORWARD}\ntimeout: 0s`), findings: [['error', 'spec.http[0].timeout', 'DURATION', 'omit the field']] },
  { it: 'rejects a timeout that is a bare number', spec: withRoute(`${FORWARD}\ntimeout: "10"`), findings: [['error', 'spec.http[0].timeout', 'DURATION', 'invalid duration']] },
  { it: 'rejects a timeout finer than a millisecond', spec: withRoute(`${FORWARD}\ntimeout: 1.0005s`), findings: [['error', 'spec.http[0].timeout', 'DURATION', 'ms precision']] },

  // ── fault injection ────────────────────────────────────────────────────────────────────
  { it: 'rejects an empty fault', spec: withRoute(`${FORWARD}\nfault: {}`), findings: [['error', 'spec.http[0].fault', 'FAULT_EMPTY', 'delay and/or an abort']] },
  { it: 'rejects exponentialDelay', spec: withRoute(`${FORWARD}\nfault:\n  delay: {exponentialDelay: 1s, percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.delay.exponentialDelay', 'FAULT_EXPONENTIAL_DELAY_UNSUPPORTED', 'use fixedDelay']] },
  { it: 'rejects fixedDelay together with exponentialDelay', spec: withRoute(`${FORWARD}\nfault:\n  delay: {fixedDelay: 1s, exponentialDelay: 1s, percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.delay.exponentialDelay', 'ONEOF_CONFLICT', 'not both'], ['error', 'spec.http[0].fault.delay.exponentialDelay', 'FAULT_EXPONENTIAL_DELAY_UNSUPPORTED', 'not supported']] },
  { it: 'rejects a fault percentage above 100', spec: withRoute(`${FORWARD}\nfault:\n  delay: {fixedDelay: 1s, percentage: {value: 150}}`), findings: [['error', 'spec.http[0].fault.delay.percentage.value', 'PERCENT', 'out of range']] },
  { it: 'rejects a fault percentage between 0 and 0.0001', spec: withRoute(`${FORWARD}\nfault:\n  abort: {httpStatus: 503, percentage: {value: 0.00001}}`), findings: [['error', 'spec.http[0].fault.abort.percentage.value', 'PERCENT', '[0.0001, 100]']] },
  { it: 'rejects an abort status of 700', spec: withRoute(`${FORWARD}\nfault:\n  abort: {httpStatus: 700, percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.abort.httpStatus', 'HTTP_STATUS_INVALID', 'out of range']] },
  { it: 'rejects an abort status of 100', spec: withRoute(`${FORWARD}\nfault:\n  abort: {httpStatus: 100, percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.abort.httpStatus', 'HTTP_STATUS_INVALID', '200..599']] },
  { it: 'rejects a numeric gRPC status', spec: withRoute(`${FORWARD}\nfault:\n  abort: {grpcStatus: "14", percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.abort.grpcStatus', 'GRPC_STATUS_INVALID', 'not a number']] },
  { it: 'rejects an HTTP/2 error abort', spec: withRoute(`${FORWARD}\nfault:\n  abort: {http2Error: REFUSED_STREAM, percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.abort.http2Error', 'FAULT_HTTP2_ERROR_UNSUPPORTED', 'not supported']] },
  { it: 'rejects an abort with two error types', spec: withRoute(`${FORWARD}\nfault:\n  abort: {httpStatus: 503, grpcStatus: UNAVAILABLE, percentage: {value: 1}}`), findings: [['error', 'spec.http[0].fault.abort', 'ONEOF_CONFLICT', 'httpStatus and grpcStatus']] },
  { it: 'warns about an abort without an error type', spec: withRoute(`${FORWARD}\nfault:\n  abort: {percentage: {value: 1}}`), findings: [['warning', 'spec.http[0].fault.abort', 'FAULT_ABORT_TYPE_MISSING', 'does nothing']] },
  { it: 'warns that a delay without percentage delays nothing', spec: withRoute(`${FORWARD}\nfault:\n  delay: {fixedDelay: 5s}`), findings: [['warning', 'spec.http[0].fault.delay', 'FAULT_PERCENTAGE_MISSING', 'no request is delayed']] },
  { it: 'warns about the deprecated integer delay percent', spec: withRoute(`${FORWARD}\nfault:\n  delay: {fixedDelay: 5s, percent: 10}`), findings: [['warning', 'spec.http[0].fault.delay.percent', 'DEPRECATED', 'use percentage']] },

  // ── mirroring ──────────────────────────────────────────────────────────────────────────
  { it: 'rejects mirror host "*"', spec: withRoute(`${FORWARD}\nmirror: {host: "*"}`), findings: [['error', 'spec.http[0].mirror.host', 'DESTINATION_HOST_INVALID', 'name one service']] },
  { it: 'requires a destination for each mirror', spec: withRoute(`${FORWARD}\nmirrors:\n- percentage: {value: 5}`), findings: [['error', 'spec.http[0].mirrors[0].destination', 'REQUIRED', 'destination is required for each mirror']] },
  { it: 'rejects a null mirror', spec: withRoute(`${FORWARD}\nmirrors:\n- null`), findings: [['error', 'spec.http[0].mirrors[0]', 'NULL_VALUE', 'must not be null']] },
  { it: 'rejects a mirror percentage above 100', spec: withRoute(`${FORWARD}\nmirrors:\n- destination: {host: shadow}\n  percentage: {value: 101}`), findings: [['error', 'spec.http[0].mirrors[0].percentage.value', 'PERCENT', '[0, 100]']] },
  { it: 'rejects a negative mirrorPercentage', spec: withRoute(`${FORWARD}\nmirror: {host: shadow}\nmirrorPercentage: {value: -1}`), findings: [['error', 'spec.http[0].mirrorPercentage.value', 'PERCENT', 'out of range']] },
  { it: 'rejects a deprecated mirrorPercent above 100 and warns that it is deprecated', spec: withRoute(`${FORWARD}\nmirror: {host: shadow}\nmirrorPercent: 150`), findings: [['error', 'spec.http[0].mirrorPercent', 'PERCENT', 'at most 100'], ['warning', 'spec.http[0].mirrorPercent', 'DEPRECATED', 'mirrorPercentage: {value: 100}']] },
  { it: 'warns about the mirror_percent spelling', spec: withRoute(`${FORWARD}\nmirror: {host: shadow}\nmirror_percent: 5`), findings: [['warning', 'spec.http[0].mirror_percent', 'DEPRECATED', 'mirrorPercentage: {value: 5}']] },

  // ── CORS ───────────────────────────────────────────────────────────────────────────────
  { it: 'rejects an empty exact CORS origin', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowOrigins: [{exact: ""}]`), findings: [['error', 'spec.http[0].corsPolicy.allowOrigins[0].exact', 'STRING_MATCH_EMPTY', 'must not be empty']] },
  { it: 'rejects a CORS origin without a value', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowOrigins: [{}]`), findings: [['error', 'spec.http[0].corsPolicy.allowOrigins[0]', 'STRING_MATCH_EMPTY', 'non-empty value']] },
  { it: 'rejects a CORS origin regex that is not RE2', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowOrigins: [{regex: "https://(?!evil)"}]`), findings: [['error', 'spec.http[0].corsPolicy.allowOrigins[0].regex', 'REGEX_INVALID', 'RE2']] },
  { it: 'rejects a null CORS origin', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowOrigins: [null]`), findings: [['error', 'spec.http[0].corsPolicy.allowOrigins[0]', 'NULL_VALUE', 'must not be null']] },
  { it: 'rejects a misspelt header operation', spec: withRoute(`${FORWARD}\nheaders:\n  request:\n    sett: {x-a: b}`), findings: [['error', 'spec.http[0].headers.request.sett', 'UNKNOWN_FIELD', 'did you mean "set"']] },
  { it: 'rejects a lower-case CORS method', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowMethods: [GET, post]`), findings: [['error', 'spec.http[0].corsPolicy.allowMethods[1]', 'CORS_METHOD_INVALID', 'upper-case']] },
  { it: 'rejects a CORS header name with a space', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowHeaders: ["x custom"]`), findings: [['error', 'spec.http[0].corsPolicy.allowHeaders[0]', 'HEADER_NAME_INVALID', 'not a valid header name']] },
  { it: 'rejects an empty exposed header name', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  exposeHeaders: [""]`), findings: [['error', 'spec.http[0].corsPolicy.exposeHeaders[0]', 'HEADER_NAME_INVALID', 'must not be empty']] },
  { it: 'rejects a CORS maxAge that is not a whole number of seconds', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  maxAge: 1500ms`), findings: [['error', 'spec.http[0].corsPolicy.maxAge', 'DURATION', 'whole number of seconds']] },
  { it: 'rejects an unknown unmatchedPreflights value', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  unmatchedPreflights: DROP`), findings: [['error', 'spec.http[0].corsPolicy.unmatchedPreflights', 'ENUM', 'FORWARD']] },
  { it: 'warns about the deprecated allowOrigin list', spec: withRoute(`${FORWARD}\ncorsPolicy:\n  allowOrigin: ["https://example.com"]`), findings: [['warning', 'spec.http[0].corsPolicy.allowOrigin', 'DEPRECATED', 'use allowOrigins']] },

  // ── unreachable rules (warnings, as Istio's webhook gives them) ─────────────────────────
  { it: 'warns about a rule after a catch-all rule', spec: `hosts: [reviews]\nhttp:\n- ${FORWARD_ITEM}\n- match: [{uri: {prefix: /a}}]\n  ${FORWARD_ITEM}`, findings: [['warning', 'spec.http[1]', 'UNREACHABLE_RULE', 'rule #0 before it has no match']] },
  { it: 'warns about a second catch-all rule, naming rules by their name', spec: `hosts: [reviews]\nhttp:\n- name: first\n  ${FORWARD_ITEM}\n- name: second\n  ${FORWARD_ITEM}`, findings: [['warning', 'spec.http[1]', 'UNREACHABLE_RULE', 'rule "second" is never used: rule "first"']] },
  { it: 'warns about a match that repeats an earlier one, ignoring match names', spec: `hosts: [reviews]\nhttp:\n- match: [{name: a, uri: {exact: /x}}]\n  ${FORWARD_ITEM}\n- match: [{name: b, uri: {exact: /x}}]\n  ${FORWARD_ITEM}`, findings: [['warning', 'spec.http[1].match[0]', 'INEFFECTIVE_MATCH', 'rule #0 has the same match'], ['warning', 'spec.http[1]', 'UNREACHABLE_RULE', 'every match is used by earlier rules']] },
  { it: 'warns about a prefix match that an earlier shorter prefix covers', spec: `hosts: [reviews]\nhttp:\n- match: [{uri: {prefix: /debug}}]\n  ${FORWARD_ITEM}\n- match: [{uri: {prefix: /debugs}}]\n  ${FORWARD_ITEM}`, findings: [['warning', 'spec.http[1].match[0]', 'INEFFECTIVE_MATCH', '(prefix "/debug") of rule #0 comes first']] },

  // ── tcp and tls (checked for shape) ────────────────────────────────────────────────────
  { it: 'requires destinations on a tcp route', spec: 'hosts: [db]\ntcp:\n- match: [{port: 5432}]', findings: [['error', 'spec.tcp[0].route', 'REQUIRED', 'needs route']] },
  { it: 'rejects an invalid tcp destination subnet', spec: 'hosts: [db]\ntcp:\n- match: [{destinationSubnets: [10.0.0.0/33]}]\n  route:\n  - destination: {host: db}', findings: [['error', 'spec.tcp[0].match[0].destinationSubnets[0]', 'SUBNET_INVALID', 'CIDR']] },
  { it: 'requires a match on a tls route', spec: 'hosts: [a.example.com]\ntls:\n- route:\n  - destination: {host: a.example.com}', findings: [['error', 'spec.tls[0].match', 'REQUIRED', 'sniHosts']] },
  { it: 'rejects a tls SNI host outside the VirtualService hosts', spec: 'hosts: [a.example.com]\ntls:\n- match: [{sniHosts: [b.example.com]}]\n  route:\n  - destination: {host: a.example.com}', findings: [['error', 'spec.tls[0].match[0].sniHosts[0]', 'SNI_HOST_NOT_IN_HOSTS', 'not covered']] },
  { it: 'rejects a weight field on a tcp route destination headers block', spec: 'hosts: [db]\ntcp:\n- route:\n  - destination: {host: db}\n    headers: {}', findings: [['error', 'spec.tcp[0].route[0].headers', 'UNKNOWN_FIELD', 'unknown field']] },
]

function explain(diagnostics: readonly Diagnostic[]): string {
  return `\n${describeFindings(diagnostics)}`
}

describe('VirtualService validation', () => {
  it('has a table of at least 100 cases, valid and invalid', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100)
    expect(cases.filter((c) => c.findings === undefined).length).toBeGreaterThanOrEqual(30)
  })

  for (const testCase of cases) {
    it(testCase.it, () => {
      const diagnostics = validateYaml(testCase.spec)
      const expected = testCase.findings ?? []
      for (const [severity, path, code, messagePart] of expected) {
        const found = findingsAt(diagnostics, path).filter((d) => d.severity === severity && d.code === code)
        expect(found.length, `expected ${severity} ${code} at ${path}${explain(diagnostics)}`).toBeGreaterThan(0)
        expect(found.some((d) => d.message.includes(messagePart)), `expected "${messagePart}" in ${code} at ${path}${explain(diagnostics)}`).toBe(true)
      }
      const expectedErrors = expected.filter(([severity]) => severity === 'error').length
      expect(errorsOf(diagnostics).length, `unexpected errors:${explain(diagnostics)}`).toBe(expectedErrors)
    })
  }
})

describe('VirtualService findings', () => {
  it('locates a finding at the line and column of the offending value', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: prod}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 10
    - destination: {host: reviews, subset: v2}
      weight: -5
`
    const [finding] = findingsAt(validateYaml(yaml), 'spec.http[0].route[1].weight')
    expect(finding).toMatchObject({ severity: 'error', code: 'WEIGHT_NEGATIVE', line: 11, column: 15 })
    expect(formatDiagnostic(finding!)).toBe('test.yaml:11:15  VirtualService prod/reviews  spec.http[0].route[1].weight: weight -5 is negative; weights are relative shares (0 or more)')
  })

  it('locates a bad header match at its value inside a flow mapping', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match:
    - headers: {"end user": {exact: jason}}
    route:
    - destination: {host: reviews}
`
    const [finding] = findingsAt(validateYaml(yaml), 'spec.http[0].match[0].headers["end user"]')
    expect(finding).toMatchObject({ code: 'HEADER_NAME_INVALID', line: 8, column: 29 })
  })

  it('locates a field written with no value on the line of its key', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - fault: {}
    route:
    - destination:
        host:
`
    const diagnostics = validateYaml(yaml)
    expect(findingsAt(diagnostics, 'spec.http[0].fault')[0]).toMatchObject({ code: 'FAULT_EMPTY', line: 7, column: 12 })
    expect(findingsAt(diagnostics, 'spec.http[0].route[0].destination.host')[0]).toMatchObject({ code: 'REQUIRED', line: 10 })
  })

  it('locates a finding in the second document of a file', () => {
    const yaml = `${'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ok}\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n'}---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: bad}
spec:
  hosts: [b]
  http:
  - route:
    - destination: {host: b}
    timeout: 0s
`
    const diagnostics = validateYaml(yaml)
    expect(errorsOf(diagnostics)).toHaveLength(1)
    expect(errorsOf(diagnostics)[0]).toMatchObject({ code: 'DURATION', line: 18, column: 14, resource: { name: 'bad' } })
  })

  it('reports every independent problem of one resource at once', () => {
    const diagnostics = validateYaml(`
      hosts: ["*"]
      gateways: ["istio-system/*"]
      exportTo: ["~"]
      http:
      - match:
        - uri: {regex: "(?=x)"}
          headers:
            end-user: null
        route:
        - destination: {host: 10.0.0.1, subset: v1.0}
          weight: -1
        - destination: {host: reviews}
        redirect: {scheme: ftp}
        timeout: 0s
        retries: {attempts: 2, retryOn: "5xx, reset"}
        fault: {}
        corsPolicy: {allowMethods: [get]}
      - name: catch-all
        route:
        - destination: {host: reviews}
      - name: shadowed
        match: [{uri: {prefix: /x}}]
        route:
        - destination: {host: reviews}
    `)
    const seen = errorsOf(diagnostics).map((d) => `${d.code} ${formatPath(d.path)}`).sort()
    expect(seen).toEqual([
      'CORS_METHOD_INVALID spec.http[0].corsPolicy.allowMethods[0]',
      'DESTINATION_HOST_INVALID spec.http[0].route[0].destination.host',
      'DURATION spec.http[0].timeout',
      'EXPORT_TO_INVALID spec.exportTo[0]',
      'FAULT_EMPTY spec.http[0].fault',
      'GATEWAY_INVALID spec.gateways[0]',
      'NULL_VALUE spec.http[0].match[0].headers["end-user"]',
      'REDIRECT_SCHEME_INVALID spec.http[0].redirect.scheme',
      'REGEX_INVALID spec.http[0].match[0].uri.regex',
      'RETRY_ON_INVALID spec.http[0].retries.retryOn',
      'ROUTE_ACTION_CONFLICT spec.http[0].fault',
      'ROUTE_ACTION_CONFLICT spec.http[0].route',
      'SUBSET_INVALID spec.http[0].route[0].destination.subset',
      'WEIGHT_NEGATIVE spec.http[0].route[0].weight',
    ])
    // host "*" is fine for a VirtualService bound only to gateways; a rule after a catch-all only warns
    expect(warningsOf(diagnostics).map((d) => `${d.code} ${formatPath(d.path)}`)).toContain('UNREACHABLE_RULE spec.http[2]')
  })

  it('names the resource in every finding', () => {
    const diagnostics = validateYaml(withRoute('route:\n- destination: {host: "*"}'))
    expect(diagnostics.every((d) => d.resource?.kind === 'VirtualService' && d.resource.name === 'test')).toBe(true)
  })
})
