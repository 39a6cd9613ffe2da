import { describe, expect, it } from 'vitest'
import { selectRoute } from '@meshlet/rules'
import { compileYaml, destinationRule, routeRequest, virtualService } from './helpers.js'

const routeTo = (host: string) => `
hosts: ["${host}"]
http:
- route:
  - destination: {host: ${host.startsWith('*') ? 'backend' : host}}
`

describe('host names', () => {
  it('expands short names with the namespace of the rule, not the caller', async () => {
    const snapshot = await compileYaml(virtualService('reviews', routeTo('reviews'), 'prod'))
    expect(snapshot.virtualServices[0]!.hosts).toEqual(['reviews.prod.svc.cluster.local'])
    const action = snapshot.virtualServices[0]!.routes[0]!.action
    expect(action.kind === 'route' && action.destinations[0]!.host).toBe('reviews.prod.svc.cluster.local')
  })

  it('leaves dotted names alone: reviews.prod is not expanded', async () => {
    const snapshot = await compileYaml(virtualService('reviews', routeTo('reviews.prod')))
    expect(snapshot.virtualServices[0]!.hosts).toEqual(['reviews.prod'])
  })

  it('uses the configured cluster domain', async () => {
    const snapshot = await compileYaml(virtualService('reviews', routeTo('reviews')), { domain: 'corp.internal' })
    expect(snapshot.virtualServices[0]!.hosts).toEqual(['reviews.default.svc.corp.internal'])
  })

  it('resolves a bare name in the caller namespace and strips the port', async () => {
    const snapshot = await compileYaml(virtualService('reviews', routeTo('reviews')))
    expect(snapshot.resolveAuthority('Reviews:9080')).toEqual({ host: 'reviews.default.svc.cluster.local', port: 9080, name: 'reviews' })
    expect(snapshot.lookupVirtualService('reviews:9080')?.virtualService.ref.name).toBe('reviews')
  })

  it('resolves name.ns and name.ns.svc aliases only to FQDNs the snapshot knows', async () => {
    const snapshot = await compileYaml(virtualService('reviews', routeTo('reviews'), 'prod'), { namespace: 'default' })
    expect(snapshot.resolveAuthority('reviews.prod').host).toBe('reviews.prod.svc.cluster.local')
    expect(snapshot.resolveAuthority('reviews.prod.svc:80').host).toBe('reviews.prod.svc.cluster.local')
    expect(snapshot.resolveAuthority('example.com').host).toBe('example.com')
    expect(snapshot.lookupVirtualService('reviews.prod')?.virtualService.ref.name).toBe('reviews')
    // A caller in `default` writing the bare name means reviews.default, which has no rule.
    expect(snapshot.lookupVirtualService('reviews')).toBeUndefined()
  })

  it('understands IPv6 authorities with and without a port', async () => {
    const snapshot = await compileYaml(virtualService('reviews', routeTo('reviews')))
    expect(snapshot.resolveAuthority('[::1]:8080')).toEqual({ host: '::1', port: 8080, name: '::1' })
    expect(snapshot.resolveAuthority('10.0.0.1:80').host).toBe('10.0.0.1')
  })

  it('prefers an exact host, then the longest wildcard suffix', async () => {
    const snapshot = await compileYaml(
      virtualService('any-example', routeTo('*.example.com')) +
        virtualService('api-example', routeTo('*.api.example.com')) +
        virtualService('exact', routeTo('v1.api.example.com')),
    )
    expect(snapshot.lookupVirtualService('v1.api.example.com')?.virtualService.ref.name).toBe('exact')
    expect(snapshot.lookupVirtualService('v2.api.example.com')?.virtualService.ref.name).toBe('api-example')
    expect(snapshot.lookupVirtualService('www.example.com:443')?.virtualService.ref.name).toBe('any-example')
    expect(snapshot.lookupVirtualService('www.example.com')?.host).toBe('*.example.com')
    // A wildcard needs something before its suffix: *.example.com does not match example.com.
    expect(snapshot.lookupVirtualService('example.com')).toBeUndefined()
  })

  it('finds hosts among 1,000 VirtualServices by index', async () => {
    const yaml = Array.from({ length: 1000 }, (_, i) => virtualService(`svc-${i}`, routeTo(`svc-${i}`))).join('')
    const snapshot = await compileYaml(yaml)
    expect(snapshot.lookupVirtualService('svc-0')?.virtualService.ref.name).toBe('svc-0')
    expect(snapshot.lookupVirtualService('svc-999.default.svc.cluster.local:80')?.virtualService.ref.name).toBe('svc-999')
    expect(snapshot.lookupVirtualService('svc-1000')).toBeUndefined()
  })

  it('keeps the oldest VirtualService when two claim one host', async () => {
    const newer = virtualService('newer', routeTo('reviews')).replace('  namespace: default', '  namespace: default\n  creationTimestamp: "2024-02-01T00:00:00Z"')
    const older = virtualService('older', routeTo('reviews')).replace('  namespace: default', '  namespace: default\n  creationTimestamp: "2024-01-01T00:00:00Z"')
    const snapshot = await compileYaml(newer + older)
    expect(snapshot.lookupVirtualService('reviews')?.virtualService.ref.name).toBe('older')
  })

  it('keeps the first by name when neither has a timestamp', async () => {
    const snapshot = await compileYaml(virtualService('b-rule', routeTo('reviews')) + virtualService('a-rule', routeTo('reviews')))
    expect(snapshot.lookupVirtualService('reviews')?.virtualService.ref.name).toBe('a-rule')
  })

  it('counts a rule without a timestamp as older than a dated one, like Go zero time', async () => {
    const dated = virtualService('a-dated', routeTo('reviews')).replace('  namespace: default', '  namespace: default\n  creationTimestamp: "2024-01-01T00:00:00Z"')
    const undated = virtualService('z-undated', routeTo('reviews'))
    expect((await compileYaml(dated + undated)).lookupVirtualService('reviews')?.virtualService.ref.name).toBe('z-undated')
  })

  it('tells a known service from an unknown host when no VirtualService matches', async () => {
    const snapshot = await compileYaml(destinationRule('ratings', 'host: ratings\ntrafficPolicy:\n  loadBalancer: {simple: ROUND_ROBIN}'))
    expect(selectRoute(snapshot, routeRequest('GET', 'http://ratings:9080/'))).toEqual({ kind: 'service', host: 'ratings.default.svc.cluster.local' })
    expect(selectRoute(snapshot, routeRequest('GET', 'http://localhost:3000/x'))).toEqual({ kind: 'passthrough', host: 'localhost' })
  })

  it('hides rules exported only to another namespace', async () => {
    const yaml = virtualService('private', `exportTo: ["."]\n${routeTo('reviews.prod.svc.cluster.local')}`, 'prod')
    expect((await compileYaml(yaml, { namespace: 'default' })).lookupVirtualService('reviews.prod.svc.cluster.local')).toBeUndefined()
    expect((await compileYaml(yaml, { namespace: 'prod' })).lookupVirtualService('reviews.prod.svc.cluster.local')).toBeDefined()
  })
})
