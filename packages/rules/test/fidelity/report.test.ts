import { describe, expect, it } from 'vitest'
import { isMeshError } from '@meshlet/core'
import { assertFidelity, fidelity, formatFidelity } from '../../src/fidelity/index.js'
import { compileMeshConfig } from '../../src/index.js'
import type { MeshConfigError } from '../../src/diagnostics/config-error.js'
import { resourcesOf } from './helpers.js'

const rules = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - timeout: 3s
    headers:
      request:
        set: { x-pod: "%DOWNSTREAM_REMOTE_ADDRESS%" }
    corsPolicy:
      allowOrigins: [{ exact: "https://shop.example" }]
    route:
    - destination: { host: reviews, subset: v1 }
  tcp:
  - route: [{ destination: { host: reviews } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: edge }
spec:
  hosts: [shop.example]
  gateways: [istio-system/ingress]
  tcp: [{ route: [{ destination: { host: reviews } }] }]
  http:
  - route: [{ destination: { host: reviews } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    tls: { mode: ISTIO_MUTUAL }
  subsets:
  - name: v1
    labels: { version: v1 }
    trafficPolicy:
      portLevelSettings:
      - port: { number: 9080 }
        connectionPool:
          http: { http1MaxPendingRequests: 1 }
        tls: { mode: ISTIO_MUTUAL }
`

describe('fidelity', () => {
  const report = fidelity({ resources: resourcesOf(rules) })
  const at = (field: string) => report.entries.find((e) => e.field === field)

  it('lists every field in use with its status, reason, table row and position', () => {
    expect(at('spec.http[0].timeout')).toMatchObject({
      status: 'honored',
      pattern: 'spec.http[].timeout',
      resource: { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
      file: 'rules.yaml',
      line: 7,
      column: 14,
    })
    expect(at('spec.http[0].timeout')!.reason).toMatch(/^Bounds the whole call including retries and backoff/)
    expect(at('spec.http[0].route[0].destination.subset')).toMatchObject({ status: 'honored', pattern: 'spec.http[].route[].destination.subset' })
    expect(at('spec.tcp')).toMatchObject({ status: 'ignored', line: 16, column: 3 })
    expect(at('spec.http[0].corsPolicy.allowOrigins')).toMatchObject({ status: 'approximated' })
  })

  it('decides by value where the table has cases', () => {
    expect(at('spec.http[0].headers.request.set')).toMatchObject({ status: 'approximated', case: 'with an Envoy `%VARIABLE%` other than `%HOSTNAME%` in a value' })
    expect(at('spec.trafficPolicy.tls.mode')).toMatchObject({ status: 'ignored', case: '= `ISTIO_MUTUAL`' })
  })

  it('judges a VirtualService bound only to gateways by its rows, since createGateway applies it', () => {
    const edge = report.entries.filter((e) => e.resource.name === 'edge')
    expect(edge.map((e) => [e.field, e.status])).toEqual([
      ['spec.hosts', 'honored'],
      ['spec.gateways', 'honored'],
      ['spec.tcp', 'ignored'],
      ['spec.http[0].route[0].destination.host', 'honored'],
    ])
    expect(edge[1]!.case).toBe('without `mesh`')
    expect(edge[1]!.reason).toBe('The rule is bound only to gateways: createGateway applies it for the gateways it names, and mesh calls do not, exactly as Istio sidecars skip it.')
  })

  it("judges a subset's port-level policy by the rows of spec.trafficPolicy", () => {
    const mode = at('spec.subsets[0].trafficPolicy.portLevelSettings[0].tls.mode')
    expect(mode).toMatchObject({ status: 'ignored', pattern: 'spec.trafficPolicy.tls.mode', case: '= `ISTIO_MUTUAL`', line: 43, column: 22 })
    expect(at('spec.subsets[0].trafficPolicy.portLevelSettings[0].port.number')).toMatchObject({ status: 'honored', pattern: 'spec.trafficPolicy.portLevelSettings[].port.number' })
  })

  it('counts each status', () => {
    const count = (status: string) => report.entries.filter((e) => e.status === status).length
    expect(report.summary).toEqual({ honored: count('honored'), approximated: count('approximated'), ignored: 4 })
    expect(report.summary.approximated).toBe(2)
  })

  it('turns ignored fields into warnings, or errors under strict', () => {
    expect(report.errors.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ['warning', 'FIDELITY_IGNORED', 16, 3],
      ['warning', 'FIDELITY_IGNORED', 24, 8],
      ['warning', 'FIDELITY_IGNORED', 34, 18],
      ['warning', 'FIDELITY_IGNORED', 43, 22],
    ])
    expect(report.errors[0]!.message).toBe('ignored by meshlet: meshlet routes the HTTP calls made through it; TCP and TLS-passthrough routes are not applied.')
    expect(fidelity({ resources: resourcesOf(rules) }, { strict: true }).errors.map((d) => d.severity)).toEqual(['error', 'error', 'error', 'error'])
  })

  it('reads a compiled snapshot', async () => {
    const snapshot = await compileMeshConfig({ yaml: rules })
    expect(fidelity(snapshot).summary).toEqual(report.summary)
  })
})

describe('assertFidelity', () => {
  it('throws MESHLET_ERR_FIDELITY_STRICT listing every ignored field', () => {
    let thrown: unknown
    try {
      assertFidelity({ resources: resourcesOf(rules) })
    } catch (error) {
      thrown = error
    }
    expect(isMeshError(thrown, 'MESHLET_ERR_FIDELITY_STRICT')).toBe(true)
    const error = thrown as MeshConfigError
    expect(error.diagnostics.map((d) => d.path.join('.'))).toEqual([
      'spec.tcp',
      'spec.tcp',
      'spec.trafficPolicy.tls.mode',
      'spec.subsets.0.trafficPolicy.portLevelSettings.0.tls.mode',
    ])
    expect(error.message).toContain('rules.yaml:34:18  DestinationRule default/reviews  spec.trafficPolicy.tls.mode: ignored by meshlet: Needs the mesh CA')
  })

  it('passes when nothing in use is ignored', () => {
    const honest = resourcesOf(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy: { tls: { mode: SIMPLE, sni: reviews.example } }
`)
    expect(() => assertFidelity({ resources: honest })).not.toThrow()
  })
})

describe('formatFidelity', () => {
  it('prints one aligned line per field under its resource, then the totals, without colours', () => {
    const text = formatFidelity(fidelity({ resources: resourcesOf(rules) }))
    const lines = text.split('\n')
    expect(lines[0]).toBe('VirtualService default/reviews  (rules.yaml)')
    expect(lines[1]).toMatch(/^ {2}honored {7}5:10 {3}spec\.hosts {2,}Matched against the authority/)
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}ignored {7}16:3 {3}spec\.tcp {2,}meshlet routes the HTTP calls/))
    expect(lines).toContain('DestinationRule default/reviews  (rules.yaml)')
    expect(lines.at(-2)).toMatch(/^\d+ honored, 2 approximated, 4 ignored$/)
    expect(text).not.toMatch(/\u001b\[/)
    const columns = lines.filter((l) => l.startsWith('  ')).map((l) => l.indexOf('spec.'))
    expect(new Set(columns).size).toBe(1)
  })

  it('says when no field is in use', () => {
    expect(formatFidelity(fidelity({ resources: [] }))).toBe('No fields in use.\n')
  })
})
