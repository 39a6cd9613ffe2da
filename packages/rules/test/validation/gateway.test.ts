import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from '@meshlet/rules'
import { validateYaml } from './helpers.js'

/** Every error as `path: code`, for compact expectations. */
const errors = (yaml: string) => validateYaml(yaml).filter((d) => d.severity === 'error').map((d) => `${d.path.join('.')}: ${d.code}`)

describe('Istio Gateway validation', () => {
  it('reports every problem of a Gateway at once, each at its field', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["shop/bookinfo.example"]
    name: web
  - port: { number: 70000, name: http, protocol: HTTQ }
    hosts: []
    name: web
  - port: { number: 443, name: https, protocol: HTTPS }
    hosts: ["foo.*.com", "bad ns/x.example"]
  - port: { number: 8443, name: mtls, protocol: HTTPS }
    hosts: ["*"]
    tls: { mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem }
  - port: { number: 81, name: plain, protocol: HTTP }
    hosts: ["*"]
    tls: { mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem }
`
    expect(errors(yaml)).toEqual([
      'spec.servers.1.port.number: RANGE',
      'spec.servers.1.port.protocol: GATEWAY_PROTOCOL_INVALID',
      'spec.servers.1.port.name: GATEWAY_PORT_NAME_DUPLICATE',
      'spec.servers.1.name: GATEWAY_SERVER_NAME_DUPLICATE',
      'spec.servers.1.hosts: GATEWAY_SERVER_HOSTS_REQUIRED',
      'spec.servers.2.hosts.0: GATEWAY_SERVER_HOST_INVALID',
      'spec.servers.2.hosts.1: GATEWAY_SERVER_HOST_INVALID',
      'spec.servers.2.tls: GATEWAY_TLS_REQUIRED',
      'spec.servers.3.tls.caCertificates: REQUIRED',
      'spec.servers.4.tls: GATEWAY_TLS_ON_PLAINTEXT',
    ])
    const printed = validateYaml(yaml).map(formatDiagnostic)
    expect(printed).toContainEqual('test.yaml:9:21  Gateway istio-system/public  spec.servers[1].port.number: port number 70000 must be in the range 1..65535')
  })

  it('accepts httpsRedirect on a plain port and a namespace/host form', () => {
    expect(errors(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["./a.example", "*/b.example", "shop/*"]
    tls: { httpsRedirect: true }
`)).toEqual([])
  })
})

describe('Gateway API validation', () => {
  it('reports every problem of a Gateway and its listeners, shown with the API group', () => {
    const yaml = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: infra }
spec:
  gatewayClassName: meshlet
  listeners:
  - { name: http, port: 80, protocol: HTTP, tls: { mode: Terminate, certificateRefs: [{ name: c }] } }
  - { name: http, port: 80, protocol: HTTP }
  - { name: https, port: 443, protocol: HTTPS }
  - { name: Bad_Name, port: 8080, protocol: HTTP, hostname: "UPPER.example", allowedRoutes: { namespaces: { from: Selector } } }
`
    expect(errors(yaml)).toEqual([
      'spec.listeners.0.tls: LISTENER_TLS_NOT_ALLOWED',
      'spec.listeners.1.name: LISTENER_NAME_DUPLICATE',
      'spec.listeners.1: LISTENER_CONFLICT',
      'spec.listeners.2.tls: REQUIRED',
      'spec.listeners.3.name: NAME_INVALID',
      'spec.listeners.3.hostname: HOSTNAME_INVALID',
      'spec.listeners.3.allowedRoutes.namespaces.selector: REQUIRED',
    ])
    expect(validateYaml(yaml).map(formatDiagnostic)[0]).toContain('Gateway.gateway.networking.k8s.io infra/web  spec.listeners[0].tls')
  })

  it('reports every problem of an HTTPRoute: matches, filters, backends and timeouts', () => {
    const yaml = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: infra }
spec:
  parentRefs: [{ name: web }, { name: web }]
  hostnames: ["*.example.com", "Bad.example"]
  rules:
  - matches:
    - path: { type: PathPrefix, value: "no-slash" }
      headers: [{ name: x, value: a }, { name: X, value: b }]
      method: FETCH
    - path: { type: RegularExpression, value: "(?=look)" }
    filters:
    - { type: RequestRedirect, requestRedirect: { statusCode: 305, path: { type: ReplacePrefixMatch, replacePrefixMatch: /x } } }
    - { type: URLRewrite, urlRewrite: { hostname: a.example } }
    - { type: RequestHeaderModifier }
    backendRefs:
    - { name: app, weight: 2000000 }
    timeouts: { request: 1s, backendRequest: 2s }
  - matches: [{ path: { type: Exact, value: /a//b } }]
    filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: m, port: 80 }, percent: 10, fraction: { numerator: 1 } } }]
    retry: { codes: [200] }
`
    expect(errors(yaml)).toEqual([
      'spec.parentRefs.1: PARENT_REF_DUPLICATE',
      'spec.hostnames.1: HOSTNAME_INVALID',
      'spec.rules.0.matches.0.path.value: PATH_INVALID',
      'spec.rules.0.matches.0.headers.1.name: MATCH_NAME_DUPLICATE',
      'spec.rules.0.matches.0.method: ENUM',
      'spec.rules.0.matches.1.path.value: REGEX_INVALID',
      'spec.rules.0.filters.0.requestRedirect.statusCode: ENUM',
      'spec.rules.0.filters.2.requestHeaderModifier: REQUIRED',
      'spec.rules.0.filters: FILTER_CONFLICT',
      'spec.rules.0.filters.0.requestRedirect.path: REWRITE_PREFIX_MATCH',
      'spec.rules.0.backendRefs.0.port: REQUIRED',
      'spec.rules.0.backendRefs.0.weight: RANGE',
      'spec.rules.0.timeouts.backendRequest: TIMEOUT_ORDER',
      'spec.rules.1.matches.0.path.value: PATH_INVALID',
      'spec.rules.1.filters.0.requestMirror.fraction: FILTER_FIELD_MISMATCH',
      'spec.rules.1.retry.codes.0: RANGE',
    ])
  })

  it('accepts a ReferenceGrant and refuses one missing its parts', () => {
    expect(errors(`apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: grant, namespace: apps }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute }]
  to: []
`)).toEqual(['spec.from.0.namespace: REQUIRED', 'spec.to: REQUIRED'])
  })

  it('refuses a Gateway API kind under a version the API does not serve', () => {
    const found = validateYaml(`apiVersion: gateway.networking.k8s.io/v1alpha9
kind: HTTPRoute
metadata: { name: shop }
spec: {}
`)
    expect(found.map((d) => d.code)).toEqual(['UNKNOWN_API_VERSION'])
  })
})
