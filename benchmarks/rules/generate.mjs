// Synthetic but realistic rule sets: `hosts` VirtualServices of 10 routes each (header, prefix,
// regex, query, method matches; redirect, direct response, rewrite, weighted split with retries and
// timeout) and a DestinationRule with subsets per host.

export const ROUTES_PER_HOST = 10

export function hostName(i) {
  return `svc-${i}`
}

/**
 * YAML text of the rule set. `regex: false` writes the `items` route's uri match as a prefix
 * instead of the RE2 regex, to show what the regex costs.
 */
export function generateRules(hosts, { regex = true, serviceEntries = false } = {}) {
  const docs = []
  for (let i = 0; i < hosts; i++) {
    docs.push(virtualService(i, regex), destinationRule(i))
    if (serviceEntries) docs.push(serviceEntry(i))
  }
  return docs.join('---\n')
}

/** The host's ServiceEntry: three STATIC endpoints, one per subset. */
function serviceEntry(i) {
  const h = hostName(i)
  const endpoint = (version, last) => `    - address: 10.${i >> 8}.${i & 255}.${last}\n      labels: { version: ${version} }\n`
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ${h}
spec:
  hosts: [${h}.default.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
    - { number: 80, name: http, protocol: HTTP }
  endpoints:
${endpoint('v1', 1)}${endpoint('v2', 2)}${endpoint('v3', 3)}`
}

function virtualService(i, regex) {
  const h = hostName(i)
  const to = (subset) => `      route:\n        - destination:\n            host: ${h}\n            subset: ${subset}\n`
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${h}
spec:
  hosts: [${h}]
  http:
    - name: tester
      match:
        - headers:
            end-user:
              exact: tester-${i}
${to('v2')}    - name: api-v2-writes
      match:
        - uri:
            prefix: /api/v2/
          method:
            exact: POST
      rewrite:
        uri: /
${to('v2')}    - name: items
      match:
        - uri:
            ${regex ? 'regex: /items/[0-9]+' : 'prefix: /items/'}
${to('v1')}    - name: beta-query
      match:
        - queryParams:
            version:
              exact: beta
${to('v2')}    - name: canary-header
      match:
        - headers:
            x-canary:
              prefix: "yes"
${to('v3')}    - name: health
      match:
        - uri:
            exact: /health
      directResponse:
        status: 200
    - name: moved
      match:
        - uri:
            prefix: /old/
      redirect:
        uri: /new
    - name: tenant
      match:
        - uri:
            prefix: /t/
          headers:
            x-tenant:
              exact: t-${i % 7}
${to('v1')}    - name: static
      match:
        - uri:
            prefix: /static/
      timeout: 1s
${to('v1')}    - name: default
      route:
        - destination:
            host: ${h}
            subset: v1
          weight: 90
        - destination:
            host: ${h}
            subset: v3
          weight: 10
      timeout: 5s
      retries:
        attempts: 2
        perTryTimeout: 2s
        retryOn: 5xx,connect-failure
`
}

function destinationRule(i) {
  const h = hostName(i)
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${h}
spec:
  host: ${h}
  trafficPolicy:
    loadBalancer:
      simple: LEAST_REQUEST
  subsets:
    - name: v1
      labels: { version: v1 }
    - name: v2
      labels: { version: v2 }
    - name: v3
      labels: { version: v3 }
`
}

/**
 * One request per route of a host: `which` 0..9 picks the route it should reach (9 is the
 * catch-all, which has to try every other route first: the slowest decision).
 */
export function requestFor(i, which) {
  const authority = hostName(i)
  const base = { method: 'GET', scheme: 'http', authority, path: '/products/1', query: '', port: undefined, headers: {} }
  switch (which) {
    case 0: return { ...base, headers: { 'end-user': `tester-${i}` } }
    case 1: return { ...base, method: 'POST', path: '/api/v2/orders' }
    case 2: return { ...base, path: '/items/42' }
    case 3: return { ...base, query: 'version=beta' }
    case 4: return { ...base, headers: { 'x-canary': 'yes-please' } }
    case 5: return { ...base, path: '/health' }
    case 6: return { ...base, path: '/old/page' }
    case 7: return { ...base, path: '/t/x', headers: { 'x-tenant': `t-${i % 7}` } }
    case 8: return { ...base, path: '/static/app.js' }
    default: return base
  }
}
