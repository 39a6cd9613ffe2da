import { describe, expect, it } from 'vitest'
import { compileYaml, virtualService } from './helpers.js'

const root = virtualService(
  'bookinfo',
  `
hosts: [bookinfo.com]
http:
- name: reviews
  match:
  - uri: {prefix: /reviews}
  timeout: 5s
  delegate: {name: reviews-routes, namespace: team}
- name: rest
  route:
  - destination: {host: productpage}
`,
  'front',
)

const delegate = virtualService(
  'reviews-routes',
  `
http:
- name: v2
  match:
  - uri: {prefix: /reviews/v2}
  route:
  - destination: {host: reviews, subset: v2}
  timeout: 1s
- name: default
  route:
  - destination: {host: reviews, subset: v1}
- name: elsewhere
  match:
  - uri: {prefix: /ratings}
  route:
  - destination: {host: ratings}
`,
  'team',
)

describe('delegate VirtualServices', () => {
  it('puts the delegate routes in place of the delegating route, merged with its match', async () => {
    const snapshot = await compileYaml(root + delegate)
    const routes = snapshot.lookupVirtualService('bookinfo.com')!.virtualService.routes
    expect(routes.map((route) => route.name)).toEqual(['reviews-v2', 'reviews-default', 'rest'])
    expect(routes.map((route) => route.matches?.map((match) => match.uri?.value))).toEqual([['/reviews/v2'], ['/reviews'], undefined])
  })

  it('drops a delegate route whose match does not fit inside the root match', async () => {
    const snapshot = await compileYaml(root + delegate)
    const names = snapshot.virtualServices.flatMap((vs) => vs.routes.map((route) => route.name))
    expect(names).not.toContain('reviews-elsewhere')
  })

  it('resolves delegate short names in the delegate namespace, root ones in the root namespace', async () => {
    const snapshot = await compileYaml(root + delegate)
    const [v2, , rest] = snapshot.lookupVirtualService('bookinfo.com')!.virtualService.routes
    expect(v2!.action.kind === 'route' && v2!.action.destinations[0]!.host).toBe('reviews.team.svc.cluster.local')
    expect(rest!.action.kind === 'route' && rest!.action.destinations[0]!.host).toBe('productpage.front.svc.cluster.local')
  })

  it('inherits fields the delegate route leaves out and keeps those it sets', async () => {
    const snapshot = await compileYaml(root + delegate)
    const [v2, fallback] = snapshot.lookupVirtualService('bookinfo.com')!.virtualService.routes
    expect(v2!.timeoutMs).toBe(1000)
    expect(fallback!.timeoutMs).toBe(5000)
    expect(fallback!.delegate).toMatchObject({ namespace: 'team', name: 'reviews-routes' })
  })

  it('never looks a delegate up by host', async () => {
    const snapshot = await compileYaml(root + delegate)
    expect(snapshot.virtualServices.map((vs) => vs.ref.name)).toEqual(['bookinfo'])
  })

  it('defaults the delegate namespace to the root namespace', async () => {
    const sameNamespace = root.replace(', namespace: team}', '}').replace(/namespace: front/, 'namespace: team')
    const snapshot = await compileYaml(sameNamespace + delegate)
    expect(snapshot.lookupVirtualService('bookinfo.com')!.virtualService.routes).toHaveLength(3)
  })

  it('drops only the delegating route when the delegate is missing or not exported to the root', async () => {
    const missing = await compileYaml(root)
    expect(missing.lookupVirtualService('bookinfo.com')!.virtualService.routes.map((route) => route.name)).toEqual(['rest'])
    const hidden = delegate.replace('spec:\n', 'spec:\n  exportTo: ["."]\n')
    const notExported = await compileYaml(root + hidden)
    expect(notExported.lookupVirtualService('bookinfo.com')!.virtualService.routes.map((route) => route.name)).toEqual(['rest'])
  })
})
