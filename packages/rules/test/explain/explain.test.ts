import { describe, expect, it } from 'vitest'
import { isMeshError, seededRandom } from '@meshlet/core'
import { explain } from '@meshlet/rules'
import { compileYaml, destinationRule, virtualService } from '../compile/helpers.js'

const reviews = virtualService(
  'reviews',
  `
hosts: [reviews]
http:
- name: old-api
  match:
  - uri: {prefix: /v1/}
  redirect:
    uri: /v2/books
    authority: books.example.com
    scheme: https
    redirectCode: 308
- name: moved
  match:
  - uri: {prefix: /legacy/}
  redirect: {prefixRewrite: /modern/, port: 8443}
- name: teapot
  match:
  - uri: {exact: /teapot}
  directResponse:
    status: 418
    body: {string: "short and stout"}
- name: odd-redirect
  match:
  - uri: {exact: /odd}
  redirect: {uri: /x, redirectCode: 300}
- name: split
  match:
  - uri: {prefix: /api}
  rewrite: {uri: /internal}
  timeout: 3s
  retries: {attempts: 4, perTryTimeout: 500ms, retryOn: "gateway-error,429"}
  fault:
    abort: {httpStatus: 503, percentage: {value: 1}}
  mirror: {host: reviews-shadow, subset: v9}
  mirrorPercentage: {value: 25}
  headers:
    request:
      set: {x-route: split}
      remove: [x-debug]
  corsPolicy:
    allowOrigins: [{exact: "https://shop.example.com"}]
    allowMethods: [GET]
    maxAge: 24h
  route:
  - destination: {host: reviews, subset: v1}
    weight: 70
  - destination: {host: reviews, subset: v2, port: {number: 9080}}
    weight: 30
    headers:
      response:
        add: {x-canary: "true"}
- name: exact-only
  match:
  - uri: {exact: /only}
  route:
  - destination: {host: reviews, subset: v1}
`,
)

const rule = destinationRule(
  'reviews',
  `
host: reviews
trafficPolicy:
  loadBalancer: {simple: ROUND_ROBIN}
subsets:
- name: v1
  labels: {version: v1}
- name: v2
  labels: {version: v2}
  trafficPolicy:
    loadBalancer: {simple: RANDOM}
`,
)

const ratings = destinationRule('ratings', 'host: ratings\ntrafficPolicy:\n  connectionPool:\n    http: {http1MaxPendingRequests: 5}')

describe('explain', () => {
  it('picks weighted destinations in proportion to their weights over many seeded draws', async () => {
    const snapshot = await compileYaml(reviews + rule)
    const random = seededRandom(42)
    const draws = 10_000
    let v2 = 0
    for (let i = 0; i < draws; i++) {
      if (explain(snapshot, { method: 'GET', url: 'http://reviews/api/x' }, { random }).selected?.subset === 'v2') v2++
    }
    // 30 % expected; three standard deviations of a binomial(10000, 0.3) is about 1.4 %.
    expect(v2 / draws).toBeGreaterThan(0.285)
    expect(v2 / draws).toBeLessThan(0.315)
  })

  it('describes a routed request: route, destinations, rewrite, policies', async () => {
    const snapshot = await compileYaml(reviews + rule)
    const decision = explain(snapshot, { method: 'GET', url: 'http://reviews:9080/api/items?page=2' }, { random: () => 0.9 })
    expect(decision).toMatchObject({
      host: 'reviews.default.svc.cluster.local',
      virtualService: 'default/reviews',
      route: { index: 4, name: 'split' },
      action: 'route',
      selected: { host: 'reviews.default.svc.cluster.local', subset: 'v2', port: 9080 },
      rewrite: { uri: '/internal', path: '/internal/items?page=2', authority: null },
      timeoutMs: 3000,
      retries: { attempts: 4, perTryTimeoutMs: 500, retryOn: 'gateway-error,retriable-status-codes', retriableStatusCodes: [429], isDefault: false },
      fault: { delay: null, abort: { httpStatus: 503, grpcStatus: null, percentage: 1 } },
      mirrors: [{ host: 'reviews-shadow.default.svc.cluster.local', subset: 'v9', port: null, percentage: 25 }],
      headers: { request: { set: { 'x-route': 'split' }, add: {}, remove: ['x-debug'] } },
      corsPolicy: { allowOrigins: [{ exact: 'https://shop.example.com' }], allowMethods: ['GET'], maxAgeSeconds: 86400 },
      destinationRule: 'default/reviews',
      trafficPolicy: { loadBalancer: { algorithm: 'RANDOM' } },
    })
    expect(decision.destinations).toEqual([
      expect.objectContaining({ subset: 'v1', weight: 70, port: null }),
      expect.objectContaining({ subset: 'v2', weight: 30, port: 9080, headers: expect.objectContaining({ response: { set: {}, add: { 'x-canary': 'true' }, remove: [] } }) }),
    ])
  })

  it('is plain JSON', async () => {
    const snapshot = await compileYaml(reviews + rule)
    const decision = explain(snapshot, { method: 'GET', url: 'http://reviews/api/x' }, { random: seededRandom(1) })
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision)
  })

  it('computes redirect locations with Envoy rules', async () => {
    const snapshot = await compileYaml(reviews)
    expect(explain(snapshot, { method: 'GET', url: 'http://reviews/v1/books?id=3' })).toMatchObject({
      action: 'redirect',
      route: { name: 'old-api' },
      redirect: { status: 308, location: 'https://books.example.com/v2/books?id=3' },
      destinations: [],
      retries: null,
    })
    expect(explain(snapshot, { method: 'GET', url: 'http://reviews:9080/legacy/page' }).redirect).toEqual({ status: 301, location: 'http://reviews:8443/modern/page' })
  })

  it('answers a redirect code Envoy cannot produce as no route', async () => {
    const decision = explain(await compileYaml(reviews), { method: 'GET', url: 'http://reviews/odd' })
    expect(decision.action).toBe('noRoute')
    expect(decision.route?.name).toBe('odd-redirect')
    expect(decision.reason).toMatch(/300/)
  })

  it('describes a direct response', async () => {
    const decision = explain(await compileYaml(reviews), { method: 'GET', url: 'http://reviews/teapot' })
    expect(decision).toMatchObject({ action: 'directResponse', directResponse: { status: 418, body: 'short and stout' }, selected: null })
  })

  it('says noRoute when the VirtualService matches the host but no route matches the request', async () => {
    const decision = explain(await compileYaml(reviews), { method: 'GET', url: 'http://reviews/nothing-here' })
    expect(decision).toMatchObject({ action: 'noRoute', virtualService: 'default/reviews', route: null, destinations: [] })
  })

  it('routes a host known only through a DestinationRule to itself with the default retry policy', async () => {
    const decision = explain(await compileYaml(ratings), { method: 'GET', url: 'http://ratings:9080/r/1' })
    expect(decision).toMatchObject({
      host: 'ratings.default.svc.cluster.local',
      virtualService: null,
      action: 'route',
      selected: { host: 'ratings.default.svc.cluster.local', subset: null, port: 9080 },
      timeoutMs: null,
      retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', isDefault: true },
      destinationRule: 'default/ratings',
      trafficPolicy: { connectionPool: { http1MaxPendingRequests: 5 } },
    })
  })

  it('passes an unknown host through as written', async () => {
    const decision = explain(await compileYaml(ratings), { method: 'GET', url: 'https://api.github.com/repos' })
    expect(decision).toMatchObject({ host: 'api.github.com', action: 'passthrough', virtualService: null, selected: { host: 'api.github.com', port: 443 } })
  })

  it('reads header values case-insensitively by name, joining lists', async () => {
    const snapshot = await compileYaml(
      virtualService('r', 'hosts: [reviews]\nhttp:\n- name: jason\n  match:\n  - headers: {end-user: {exact: "jason,mary"}}\n  route:\n  - destination: {host: reviews}\n- route:\n  - destination: {host: reviews}'),
    )
    expect(explain(snapshot, { method: 'GET', url: 'http://reviews/', headers: { 'End-User': ['jason', 'mary'] } }).route?.name).toBe('jason')
  })

  it('names the match entry that selected the route', async () => {
    const snapshot = await compileYaml(virtualService('r', 'hosts: [reviews]\nhttp:\n- name: api\n  match:\n  - name: v1-paths\n    uri: {prefix: /v1}\n  - name: v2-paths\n    uri: {prefix: /v2}\n  route:\n  - destination: {host: reviews}'))
    expect(explain(snapshot, { method: 'GET', url: 'http://reviews/v2/x' }).route).toEqual({ index: 0, name: 'api', match: 'v2-paths' })
  })

  it('applies the port-level policy of the destination port the route names', async () => {
    const snapshot = await compileYaml(
      virtualService('r', 'hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews, port: {number: 9090}}') +
        destinationRule('reviews', 'host: reviews\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN}\n  portLevelSettings:\n  - port: {number: 9090}\n    loadBalancer: {simple: RANDOM}'),
    )
    const decision = explain(snapshot, { method: 'GET', url: 'http://reviews/' })
    expect(decision.selected).toMatchObject({ port: 9090 })
    expect(decision.trafficPolicy).toMatchObject({ loadBalancer: { algorithm: 'RANDOM' } })
  })

  it('rejects a bad URL or an empty method with MESHLET_ERR_INVALID_REQUEST', async () => {
    const snapshot = await compileYaml(ratings)
    const codeOf = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        return isMeshError(error) ? error.code : 'not a MeshError'
      }
      return 'no error'
    }
    expect(codeOf(() => explain(snapshot, { method: 'GET', url: 'reviews/x' }))).toBe('MESHLET_ERR_INVALID_REQUEST')
    expect(codeOf(() => explain(snapshot, { method: '', url: 'http://reviews/' }))).toBe('MESHLET_ERR_INVALID_REQUEST')
    expect(codeOf(() => explain(snapshot, { method: 'GET', url: 'http://[bad/' }))).toBe('MESHLET_ERR_INVALID_REQUEST')
  })

  it('refuses what a call would refuse: another scheme, credentials, a port out of range, a method fetch forbids', async () => {
    const snapshot = await compileYaml(ratings)
    expect(() => explain(snapshot, { method: 'GET', url: 'ftp://reviews/x' })).toThrow('explain: unsupported URL scheme "ftp:"')
    expect(() => explain(snapshot, { method: 'GET', url: 'http://u:p@reviews/x' })).toThrow('explain: a URL with credentials cannot be fetched')
    expect(() => explain(snapshot, { method: 'GET', url: 'http://reviews:99999/x' })).toThrow('the port "99999" must be a number from 1 to 65535')
    expect(() => explain(snapshot, { method: 'TRACE', url: 'http://reviews/x' })).toThrow('explain: method TRACE is not allowed by fetch')
  })

  it('upper-cases the standard methods as mesh.fetch does, so method rules match alike', async () => {
    const snapshot = await compileYaml(virtualService('r', 'hosts: [reviews]\nhttp:\n- name: posts\n  match:\n  - method: {exact: POST}\n  route:\n  - destination: {host: reviews}'))
    expect(explain(snapshot, { method: 'post', url: 'http://reviews/' }).route?.name).toBe('posts')
  })
})
