/**
 * Gateway API rules for the conformance-style tests: one Gateway with an HTTP listener, three
 * backends (v1, v2, v3) and one HTTPRoute per behaviour, in the spirit of the Gateway API
 * conformance suite's cases (restated, not copied).
 */
export const GATEWAY_API_RULES = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: infra }
spec:
  gatewayClassName: meshlet
  listeners:
  - { name: http, port: 80, protocol: HTTP }
  - name: only-example
    port: 8080
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes: { namespaces: { from: All } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: paths, namespace: infra, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  parentRefs: [{ name: web, sectionName: http }]
  rules:
  - matches: [{ path: { type: Exact, value: /match } }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { type: Exact, value: /match/exact } }]
    backendRefs: [{ name: v2, port: 8080 }]
  - matches: [{ path: { type: PathPrefix, value: /match/ } }]
    backendRefs: [{ name: v3, port: 8080 }]
  - matches: [{ path: { type: PathPrefix, value: /match/prefix/ } }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { type: PathPrefix, value: /match/prefix/one } }]
    backendRefs: [{ name: v2, port: 8080 }]
  - matches: [{ path: { type: RegularExpression, value: "/regex/[0-9]+" } }]
    backendRefs: [{ name: v3, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: conditions, namespace: infra, creationTimestamp: "2026-01-02T00:00:00Z" }
spec:
  parentRefs: [{ name: web, sectionName: http }]
  rules:
  - matches: [{ path: { value: /headers }, headers: [{ name: version, value: one }] }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /headers }, headers: [{ name: version, value: two }] }]
    backendRefs: [{ name: v2, port: 8080 }]
  - matches: [{ path: { value: /headers }, headers: [{ name: version, value: two }, { name: Color, type: RegularExpression, value: "bl.*" }] }]
    backendRefs: [{ name: v3, port: 8080 }]
  - matches: [{ path: { value: /query }, queryParams: [{ name: animal, value: whale }] }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /query }, queryParams: [{ name: animal, value: dolphin }] }]
    backendRefs: [{ name: v2, port: 8080 }]
  - matches: [{ path: { value: /query }, queryParams: [{ name: animal, value: dolphin }, { name: color, value: blue }] }]
    backendRefs: [{ name: v3, port: 8080 }]
  - matches: [{ path: { value: /method } }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /method }, method: POST }]
    backendRefs: [{ name: v2, port: 8080 }]
  - matches: [{ path: { value: /shared } }]
    backendRefs: [{ name: v2, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: older, namespace: infra, creationTimestamp: "2025-06-01T00:00:00Z" }
spec:
  parentRefs: [{ name: web, sectionName: http }]
  rules:
  - matches: [{ path: { value: /shared } }]
    backendRefs: [{ name: v1, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: filters, namespace: infra }
spec:
  parentRefs: [{ name: web, sectionName: http }]
  rules:
  - matches: [{ path: { value: /set-headers } }]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{ name: X-Set, value: one }]
        add: [{ name: X-Add, value: two }]
        remove: [X-Remove]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /response-headers } }]
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        set: [{ name: X-Resp, value: set }]
        remove: [X-Upstream]
    backendRefs: [{ name: v1, port: 8080 }]
  - name: per-backend-headers
    matches: [{ path: { value: /backend-headers } }]
    backendRefs:
    - name: v2
      port: 8080
      filters:
      - { type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: X-Backend, value: v2 }] } }
      - { type: ResponseHeaderModifier, responseHeaderModifier: { add: [{ name: X-From-Backend, value: v2 }] } }
  - matches: [{ path: { value: /redirect-scheme } }]
    filters: [{ type: RequestRedirect, requestRedirect: { scheme: https } }]
  - matches: [{ path: { value: /redirect-host } }]
    filters: [{ type: RequestRedirect, requestRedirect: { hostname: example.org, statusCode: 301 } }]
  - matches: [{ path: { value: /redirect-port } }]
    filters: [{ type: RequestRedirect, requestRedirect: { port: 8083 } }]
  - matches: [{ path: { value: /redirect-full } }]
    filters: [{ type: RequestRedirect, requestRedirect: { path: { type: ReplaceFullPath, replaceFullPath: /full } } }]
  - matches: [{ path: { value: /redirect-prefix } }]
    filters: [{ type: RequestRedirect, requestRedirect: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } } }]
  - matches: [{ path: { value: /rewrite-host } }]
    filters: [{ type: URLRewrite, urlRewrite: { hostname: rewritten.example } }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /rewrite-full } }]
    filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplaceFullPath, replaceFullPath: /one } } }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /strip-prefix } }]
    filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: / } } }]
    backendRefs: [{ name: v1, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: backends, namespace: infra }
spec:
  parentRefs: [{ name: web, sectionName: http }]
  rules:
  - matches: [{ path: { value: /mirror } }]
    filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: v2, port: 8080 } } }]
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /weights } }]
    backendRefs:
    - { name: v1, port: 8080, weight: 80 }
    - { name: v2, port: 8080, weight: 20 }
    - { name: v3, port: 8080, weight: 0 }
  - matches: [{ path: { value: /timeout } }]
    timeouts: { request: 200ms }
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /backend-timeout } }]
    timeouts: { backendRequest: 100ms }
    backendRefs: [{ name: v1, port: 8080 }]
  - matches: [{ path: { value: /retry } }]
    retry: { codes: [503], attempts: 2, backoff: 1ms }
    backendRefs: [{ name: v2, port: 8080 }]
  - matches: [{ path: { value: /no-backends } }]
  - matches: [{ path: { value: /unknown-kind } }]
    backendRefs: [{ group: example.io, kind: Bucket, name: v1 }]
  - matches: [{ path: { value: /other-namespace } }]
    backendRefs: [{ name: app, namespace: apps, port: 8080 }]
  - matches: [{ path: { value: /granted } }]
    backendRefs: [{ name: app, namespace: granted, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: from-infra, namespace: granted }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra }]
  to: [{ group: "", kind: Service }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: hostnames, namespace: infra }
spec:
  parentRefs: [{ name: web }]
  hostnames: [only.example, api.example.com]
  rules:
  - matches: [{ path: { value: /only } }]
    backendRefs: [{ name: v3, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: elsewhere, namespace: other }
spec:
  parentRefs: [{ name: web, namespace: infra, sectionName: http }]
  hostnames: [elsewhere.example]
  rules:
  - backendRefs: [{ name: v1, namespace: infra, port: 8080 }]
`
