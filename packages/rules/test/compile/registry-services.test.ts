import { describe, expect, it } from 'vitest'
import { compileResources, formatDiagnostic, parseSourcedObjects, parseText } from '../../src/index.js'
import type { RegistryService } from '../../src/index.js'

const REVIEWS_SERVICE: RegistryService = {
  host: 'reviews.shop.svc.cluster.local',
  kind: 'Service',
  namespace: 'shop',
  name: 'reviews',
  origin: 'kubernetes:/api/v1/namespaces/shop/services/reviews',
  ports: [{ number: 9080, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
  resolution: 'STATIC',
}

const squattingEntry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: squatter, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: DNS
`

describe('services declared by a registry (Kubernetes Services)', () => {
  it('make their host known with its ports, so the name.namespace alias resolves to it', () => {
    const { snapshot } = compileResources([], { namespace: 'frontend', registryServices: [REVIEWS_SERVICE] })
    const entry = snapshot!.lookupServiceEntry('reviews.shop.svc.cluster.local')
    expect(entry?.ref).toMatchObject({ kind: 'Service', namespace: 'shop', name: 'reviews' })
    expect(entry?.ports).toEqual([{ number: 9080, name: 'http', protocol: 'HTTP', targetPort: 8080 }])
    expect(entry?.resolution).toBe('STATIC')
    expect(snapshot!.resolveAuthority('reviews.shop:9080').host).toBe('reviews.shop.svc.cluster.local')
    expect(snapshot!.registryServices).toHaveLength(1)
  })

  it('keep their host against a ServiceEntry declaring the same name', () => {
    const parsed = parseText(squattingEntry, 'se.yaml', { defaultNamespace: 'shop' })
    const { snapshot } = compileResources(parsed.resources, { namespace: 'shop', registryServices: [REVIEWS_SERVICE] })
    expect(snapshot!.lookupServiceEntry('reviews.shop.svc.cluster.local')?.ref.kind).toBe('Service')
  })

  it('resolve an ExternalName service by DNS to the name it points at', () => {
    const external: RegistryService = { ...REVIEWS_SERVICE, name: 'db', host: 'db.shop.svc.cluster.local', resolution: 'DNS', dnsName: 'db.example.com' }
    const { snapshot } = compileResources([], { registryServices: [external] })
    const entry = snapshot!.lookupServiceEntry('db.shop.svc.cluster.local')
    expect(entry?.resolution).toBe('DNS')
    expect(entry?.endpoints.map((e) => e.address)).toEqual(['db.example.com'])
  })
})

describe('objects read from a live source', () => {
  it('are named by their origin in diagnostics, without a line and column', () => {
    const parsed = parseSourcedObjects(
      [
        {
          origin: 'kubernetes:/apis/networking.istio.io/v1/namespaces/shop/virtualservices/reviews',
          object: {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'reviews', namespace: 'shop' },
            spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' }, weight: -5 }] }] },
          },
        },
      ],
      { defaultNamespace: 'default' },
    )
    const { snapshot, diagnostics } = compileResources(parsed.resources)
    expect(snapshot).toBeUndefined()
    const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^kubernetes:\/apis\/networking\.istio\.io\/v1\/namespaces\/shop\/virtualservices\/reviews {2}VirtualService shop\/reviews {2}spec\.http\[0\]\.route\[0\]\.weight: /)
  })
})

describe('WorkloadEntries that register live', () => {
  const selecting = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: fleet, namespace: shop }
spec:
  hosts: [reviews.fleet]
  ports: [{ number: 9080, name: http, protocol: HTTP }]
  resolution: STATIC
  location: MESH_INTERNAL
  workloadSelector: { labels: { app: reviews } }
`

  it('keep the selector on the compiled entry', () => {
    const parsed = parseText(selecting, 'se.yaml', { defaultNamespace: 'shop' })
    const { snapshot } = compileResources(parsed.resources)
    expect(snapshot!.lookupServiceEntry('reviews.fleet')?.workloadSelector).toEqual({ app: 'reviews' })
  })

  it('silence the finding that a selector selects nothing, since instances register later', () => {
    const parsed = parseText(selecting, 'se.yaml', { defaultNamespace: 'shop' })
    const codes = (live: boolean) => compileResources(parsed.resources, { liveWorkloads: live }).diagnostics.map((d) => d.code)
    expect(codes(false)).toContain('ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING')
    expect(codes(true)).not.toContain('ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING')
  })
})
