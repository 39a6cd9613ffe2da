import { describe, expect, it } from 'vitest'
import { selectRoute } from '@meshlet/rules'
import type { MeshSnapshot, RouteSelection } from '@meshlet/rules'
import { compileYaml, routeRequest, virtualService } from './helpers.js'

function routeName(snapshot: MeshSnapshot, url: string, headers: Record<string, string> = {}, method = 'GET'): string | undefined {
  const selection: RouteSelection = selectRoute(snapshot, routeRequest(method, url, headers))
  if (selection.kind !== 'virtualService') return `(${selection.kind})`
  return selection.route?.name ?? (selection.route ? '(unnamed)' : undefined)
}

const reviews = (http: string) => virtualService('reviews', `hosts: [reviews]\nhttp:\n${http}`)
const to = (name: string, extra = '') => `- name: ${name}\n${extra}  route:\n  - destination: {host: reviews}\n`

describe('route selection', () => {
  it('takes the first route that matches, in order', async () => {
    const snapshot = await compileYaml(reviews(to('api', '  match:\n  - uri: {prefix: /api}\n') + to('api-v2', '  match:\n  - uri: {prefix: /api/v2}\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews/api/v2/x')).toBe('api')
    expect(routeName(snapshot, 'http://reviews/other')).toBe('rest')
  })

  it('drops every route after the first catch-all, as Istio stops there', async () => {
    const snapshot = await compileYaml(reviews(to('all', '  match:\n  - uri: {prefix: /}\n') + to('never', '  match:\n  - uri: {prefix: /x}\n')))
    expect(snapshot.virtualServices[0]!.routes.map((route) => route.name)).toEqual(['all'])
  })

  it('answers "no route" when the VirtualService has routes but none matches', async () => {
    const snapshot = await compileYaml(reviews(to('api', '  match:\n  - uri: {exact: /api}\n')))
    const selection = selectRoute(snapshot, routeRequest('GET', 'http://reviews/other'))
    expect(selection.kind === 'virtualService' && selection.route).toBeUndefined()
  })

  it('ORs match entries and ANDs the fields inside one', async () => {
    const snapshot = await compileYaml(
      reviews(to('jason-or-post', '  match:\n  - headers: {end-user: {exact: jason}}\n    uri: {prefix: /r}\n  - method: {exact: POST}\n') + to('rest')),
    )
    expect(routeName(snapshot, 'http://reviews/r/1', { 'End-User': 'jason' })).toBe('jason-or-post')
    expect(routeName(snapshot, 'http://reviews/x', { 'end-user': 'jason' })).toBe('rest')
    expect(routeName(snapshot, 'http://reviews/x', {}, 'POST')).toBe('jason-or-post')
  })

  it('matches the uri on the path without its query string', async () => {
    const snapshot = await compileYaml(reviews(to('exact', '  match:\n  - uri: {exact: /items}\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews/items?page=2')).toBe('exact')
  })

  it('matches header presence with {}', async () => {
    const snapshot = await compileYaml(reviews(to('traced', '  match:\n  - headers: {x-trace: {}}\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews/', { 'x-trace': '' })).toBe('traced')
    expect(routeName(snapshot, 'http://reviews/', { 'X-Trace': 'abc' })).toBe('traced')
    expect(routeName(snapshot, 'http://reviews/')).toBe('rest')
  })

  it('reads withoutHeaders regex "*" as "header absent"', async () => {
    const snapshot = await compileYaml(reviews(to('no-canary', '  match:\n  - withoutHeaders: {x-canary: {regex: "*"}}\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews/')).toBe('no-canary')
    expect(routeName(snapshot, 'http://reviews/', { 'x-canary': 'anything' })).toBe('rest')
  })

  it('inverts withoutHeaders, reading a missing header as empty except for presence', async () => {
    const snapshot = await compileYaml(reviews(to('not-jason', '  match:\n  - withoutHeaders: {end-user: {exact: jason}}\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews/')).toBe('not-jason')
    expect(routeName(snapshot, 'http://reviews/', { 'end-user': 'mary' })).toBe('not-jason')
    expect(routeName(snapshot, 'http://reviews/', { 'end-user': 'jason' })).toBe('rest')

    const presence = await compileYaml(reviews(to('untraced', '  match:\n  - withoutHeaders: {x-trace: {}}\n') + to('rest')))
    expect(routeName(presence, 'http://reviews/')).toBe('untraced')
    expect(routeName(presence, 'http://reviews/', { 'x-trace': '1' })).toBe('rest')
  })

  it('matches queryParams, with exact "" matching ?key and ?key=', async () => {
    const snapshot = await compileYaml(
      reviews(to('debug', '  match:\n  - queryParams: {debug: {exact: ""}}\n') + to('v2', '  match:\n  - queryParams: {version: {regex: "v\\\\d+"}}\n') + to('rest')),
    )
    expect(routeName(snapshot, 'http://reviews/x?debug')).toBe('debug')
    expect(routeName(snapshot, 'http://reviews/x?a=1&debug=')).toBe('debug')
    expect(routeName(snapshot, 'http://reviews/x?debug=1')).toBe('rest')
    expect(routeName(snapshot, 'http://reviews/x?version=v12')).toBe('v2')
    expect(routeName(snapshot, 'http://reviews/x?version=xv12')).toBe('rest')
  })

  it('compares the match port with the port the request addresses', async () => {
    const snapshot = await compileYaml(reviews(to('admin', '  match:\n  - port: 9090\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews:9090/')).toBe('admin')
    expect(routeName(snapshot, 'http://reviews/')).toBe('rest')
    expect(snapshot.virtualServices[0]!.routes.map((route) => route.name)).toEqual(['admin', 'rest'])
  })

  it('matches scheme and authority as sent, the authority with its port', async () => {
    const snapshot = await compileYaml(
      reviews(to('tls', '  match:\n  - scheme: {exact: https}\n') + to('port', '  match:\n  - authority: {exact: "reviews:9080"}\n') + to('rest')),
    )
    expect(routeName(snapshot, 'https://reviews/')).toBe('tls')
    expect(routeName(snapshot, 'http://reviews:9080/')).toBe('port')
    expect(routeName(snapshot, 'http://reviews/')).toBe('rest')
  })

  describe('Envoy pseudo-headers in headers and withoutHeaders', () => {
    it('matches headers ":method" against the request method', async () => {
      const snapshot = await compileYaml(reviews(to('posts', '  match:\n  - headers: {":method": {exact: POST}}\n') + to('rest')))
      expect(routeName(snapshot, 'http://reviews/x', {}, 'POST')).toBe('posts')
      expect(routeName(snapshot, 'http://reviews/x', {}, 'GET')).toBe('rest')
    })

    it('matches headers ":authority" against the Host as sent, port included', async () => {
      const snapshot = await compileYaml(reviews(to('on-9080', '  match:\n  - headers: {":authority": {exact: "reviews:9080"}}\n') + to('rest')))
      expect(routeName(snapshot, 'http://reviews:9080/x')).toBe('on-9080')
      expect(routeName(snapshot, 'http://reviews/x')).toBe('rest')
    })

    it('matches headers ":path" against the path with its query string', async () => {
      const snapshot = await compileYaml(
        reviews(to('item-7', '  match:\n  - headers: {":path": {exact: "/items?id=7"}}\n') + to('debug', '  match:\n  - headers: {":path": {regex: ".*[?&]debug=1.*"}}\n') + to('rest')),
      )
      expect(routeName(snapshot, 'http://reviews/items?id=7')).toBe('item-7')
      expect(routeName(snapshot, 'http://reviews/items')).toBe('rest')
      expect(routeName(snapshot, 'http://reviews/a?x=2&debug=1')).toBe('debug')
    })

    it('matches headers ":scheme" against the request scheme', async () => {
      const snapshot = await compileYaml(reviews(to('tls', '  match:\n  - headers: {":scheme": {exact: https}}\n') + to('rest')))
      expect(routeName(snapshot, 'https://reviews/x')).toBe('tls')
      expect(routeName(snapshot, 'http://reviews/x')).toBe('rest')
    })

    it('inverts a withoutHeaders ":method" match', async () => {
      const snapshot = await compileYaml(reviews(to('not-get', '  match:\n  - withoutHeaders: {":method": {exact: GET}}\n') + to('rest')))
      expect(routeName(snapshot, 'http://reviews/x', {}, 'DELETE')).toBe('not-get')
      expect(routeName(snapshot, 'http://reviews/x', {}, 'GET')).toBe('rest')
    })

    it('reads the request itself, not a header that merely carries a pseudo-header name', async () => {
      const snapshot = await compileYaml(reviews(to('posts', '  match:\n  - headers: {":method": {exact: POST}}\n') + to('rest')))
      expect(routeName(snapshot, 'http://reviews/x', { ':method': 'POST' }, 'GET')).toBe('rest')
    })

    it('never finds ":status" on a request, so only its withoutHeaders form matches', async () => {
      const snapshot = await compileYaml(reviews(to('status', '  match:\n  - headers: {":status": {}}\n') + to('no-status', '  match:\n  - withoutHeaders: {":status": {}}\n')))
      expect(routeName(snapshot, 'http://reviews/x')).toBe('no-status')
    })
  })

  it('runs a header regex that backtracks in JavaScript against a 1 MB header and still answers', async () => {
    const snapshot = await compileYaml(reviews(to('hostile', '  match:\n  - headers: {x-data: {regex: "(a+)+b"}}\n') + to('rest')))
    expect(routeName(snapshot, 'http://reviews/', { 'x-data': 'a'.repeat(1_000_000) })).toBe('rest')
    expect(routeName(snapshot, 'http://reviews/', { 'x-data': `${'a'.repeat(1_000_000)}b` })).toBe('hostile')
  })

  it('applies ignoreUriCase to prefixes but not to a regex', async () => {
    const snapshot = await compileYaml(
      reviews(to('prefix', '  match:\n  - uri: {prefix: /API}\n    ignoreUriCase: true\n') + to('regex', '  match:\n  - uri: {regex: "/v[0-9]/x"}\n    ignoreUriCase: true\n') + to('rest')),
    )
    expect(routeName(snapshot, 'http://reviews/api/1')).toBe('prefix')
    expect(routeName(snapshot, 'http://reviews/v1/x')).toBe('regex')
    expect(routeName(snapshot, 'http://reviews/V1/X')).toBe('rest')
  })
})

describe('match entries decided at compile time', () => {
  const canary = (match: string) => reviews(to('canary', `  match:\n${match}`) + to('rest'))

  it('keeps a sourceLabels entry only for a workload whose labels include them', async () => {
    const yaml = canary('  - sourceLabels: {app: productpage, version: v2}\n')
    const matching = await compileYaml(yaml, { labels: { app: 'productpage', version: 'v2', team: 'x' } })
    const other = await compileYaml(yaml, { labels: { app: 'productpage', version: 'v1' } })
    // For the matching workload the entry has no request condition left: a catch-all, so `rest` goes.
    expect(matching.virtualServices[0]!.routes.map((route) => route.name)).toEqual(['canary'])
    expect(other.virtualServices[0]!.routes.map((route) => route.name)).toEqual(['rest'])
    expect(routeName(matching, 'http://reviews/')).toBe('canary')
    expect(routeName(other, 'http://reviews/')).toBe('rest')
  })

  it('keeps a sourceNamespace entry only in that namespace', async () => {
    const yaml = canary('  - sourceNamespace: testing\n    uri: {prefix: /api}\n')
    const names = async (namespace: string) => (await compileYaml(yaml, { namespace })).virtualServices[0]!.routes.map((route) => route.name)
    expect(await names('testing')).toEqual(['canary', 'rest'])
    expect(await names('default')).toEqual(['rest'])
  })

  it('drops only the entries that do not apply and keeps the rest of the route', async () => {
    const snapshot = await compileYaml(canary('  - sourceLabels: {app: other}\n    uri: {prefix: /a}\n  - uri: {prefix: /b}\n'), { labels: { app: 'me' } })
    const route = snapshot.virtualServices[0]!.routes[0]!
    expect(route.matches?.map((match) => match.uri?.value)).toEqual(['/b'])
  })

  it('keeps entries whose gateways name mesh and drops those bound to other gateways', async () => {
    const snapshot = await compileYaml(canary('  - gateways: [mesh]\n    uri: {prefix: /a}\n  - gateways: [ingress]\n    uri: {prefix: /b}\n'))
    expect(snapshot.virtualServices[0]!.routes[0]!.matches?.map((match) => match.uri?.value)).toEqual(['/a'])
  })

  it('ignores a VirtualService bound only to gateways, and applies one that lists mesh', async () => {
    const gatewayOnly = virtualService('edge', 'hosts: [reviews]\ngateways: [ingress]\nhttp:\n' + to('edge'))
    expect((await compileYaml(gatewayOnly)).lookupVirtualService('reviews')).toBeUndefined()
    const both = virtualService('both', 'hosts: [reviews]\ngateways: [ingress, mesh]\nhttp:\n' + to('both'))
    expect((await compileYaml(both)).lookupVirtualService('reviews')?.virtualService.ref.name).toBe('both')
  })

  it('falls back to the default route when no route of the VirtualService applies to this workload', async () => {
    const snapshot = await compileYaml(reviews(to('canary', '  match:\n  - sourceLabels: {app: other}\n')), { labels: { app: 'me' } })
    expect(snapshot.lookupVirtualService('reviews')).toBeUndefined()
  })
})

describe('destinations', () => {
  const split = (destinations: string) => reviews(`- route:\n${destinations}`)
  const action = async (yaml: string) => {
    const route = (await compileYaml(yaml)).virtualServices[0]!.routes[0]!
    if (route.action.kind !== 'route') throw new Error(`expected a route action, got ${route.action.kind}`)
    return route.action
  }

  it('drops a destination with weight 0 when there are several', async () => {
    const result = await action(split('  - destination: {host: reviews, subset: v1}\n    weight: 100\n  - destination: {host: reviews, subset: v2}\n    weight: 0\n'))
    expect(result.destinations.map((d) => d.subset)).toEqual(['v1'])
  })

  it('drops a destination with no weight when there are several', async () => {
    const result = await action(split('  - destination: {host: reviews, subset: v1}\n    weight: 100\n  - destination: {host: reviews, subset: v2}\n'))
    expect(result.destinations.map((d) => d.subset)).toEqual(['v1'])
  })

  it('gives a single destination all traffic whatever its weight', async () => {
    const result = await action(split('  - destination: {host: reviews, subset: v1}\n    weight: 0\n'))
    expect(result.destinations).toHaveLength(1)
    expect(result.totalWeight).toBeGreaterThan(0)
  })

  it('keeps weights relative, with cumulative sums for the pick', async () => {
    const result = await action(split('  - destination: {host: reviews, subset: v1}\n    weight: 30\n  - destination: {host: reviews, subset: v2}\n    weight: 60\n'))
    expect(result.cumulativeWeights).toEqual([30, 90])
    expect(result.totalWeight).toBe(90)
  })

  it('lower-cases destination header names and turns a host header into an authority rewrite', async () => {
    const result = await action(split('  - destination: {host: reviews}\n    headers:\n      request:\n        set: {X-Version: v1, host: reviews-v1}\n'))
    expect(result.destinations[0]!.headers.request.set).toEqual({ 'x-version': 'v1' })
    expect(result.destinations[0]!.authority).toBe('reviews-v1')
  })
})
