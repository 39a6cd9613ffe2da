import { describe, expect, it } from 'vitest'
import { analyzeYaml, summarize, withCode } from './helpers.js'

const vs = (name: string, hosts: string, extra = '', metadata = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}${metadata} }
spec:
  hosts: ${hosts}
${extra}  http:
  - route: [{ destination: { host: reviews } }]
`

describe('analysis: VirtualServices bound to the mesh with one host (IST0109)', () => {
  it('warns on each of them, at the shared host, naming the oldest one as the one that applies', () => {
    const findings = withCode(
      analyzeYaml(`${vs('b-reviews', '[other, reviews]')}---\n${vs('a-reviews', '[reviews.default.svc.cluster.local]')}`),
      'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST',
    )
    expect(summarize(findings).sort()).toEqual([
      'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST VirtualService default/a-reviews spec.hosts[0]',
      'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST VirtualService default/b-reviews spec.hosts[1]',
    ])
    const onB = findings.find((d) => d.resource?.name === 'b-reviews')!
    expect(onB).toMatchObject({ line: 5, column: 18 })
    expect(onB.message).toBe(
      'VirtualServices default/a-reviews, default/b-reviews are bound to the mesh and define the same host reviews.default.svc.cluster.local (istioctl analyze IST0109 ConflictingMeshGatewayVirtualServiceHosts); ' +
        'sidecars, and meshlet, use only the oldest (default/a-reviews) for this host: merge them into one VirtualService or use delegation',
    )
  })

  it('takes the oldest by creationTimestamp before the name', () => {
    const findings = withCode(
      analyzeYaml(
        `${vs('a', '[reviews]', '', ', creationTimestamp: "2024-05-02T00:00:00Z"')}---\n${vs('z', '[reviews]', '', ', creationTimestamp: "2024-05-01T00:00:00Z"')}`,
      ),
      'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST',
    )
    expect(findings[0]!.message).toContain('use only the oldest (default/z)')
  })

  it('does not report a VirtualService bound only to a gateway, or one mesh-bound through the mesh gateway name', () => {
    const gatewayOnly = vs('edge', '[reviews]', '  gateways: [istio-system/ingress]\n')
    expect(withCode(analyzeYaml(`${vs('a', '[reviews]')}---\n${gatewayOnly}`), 'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST')).toEqual([])
    const meshToo = vs('edge', '[reviews]', '  gateways: [istio-system/ingress, mesh]\n')
    expect(withCode(analyzeYaml(`${vs('a', '[reviews]')}---\n${meshToo}`), 'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST')).toHaveLength(2)
  })

  it('does not report rules exported to different namespaces, nor the same short name in two namespaces', () => {
    const privateA = vs('a', '[reviews.default.svc.cluster.local]', '  exportTo: ["."]\n')
    const privateB = vs('b', '[reviews.default.svc.cluster.local]', '  exportTo: ["."]\n', ', namespace: team-b')
    expect(withCode(analyzeYaml(`${privateA}---\n${privateB}`), 'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST')).toEqual([])
    expect(withCode(analyzeYaml(`${vs('a', '[reviews]')}---\n${vs('b', '[reviews]', '', ', namespace: team-b')}`), 'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST')).toEqual([])
  })
})

const root = (delegate: string, name = 'root', hosts = '[reviews]') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name} }
spec:
  hosts: ${hosts}
  http:
  - match: [{ uri: { prefix: /api } }]
    delegate: ${delegate}
`
const delegateVs = (name: string, extra = '', namespace = 'default') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${extra}  http:
  - route: [{ destination: { host: reviews } }]
`

describe('analysis: delegate VirtualServices', () => {
  it('accepts a delegate that exists, has no hosts and is exported to the root', () => {
    expect(analyzeYaml(`${root('{ name: api, namespace: team }')}---\n${delegateVs('api', '', 'team')}`)).toEqual([])
    expect(analyzeYaml(`${root('{ name: api }')}---\n${delegateVs('api', '  exportTo: ["."]\n')}`)).toEqual([])
  })

  it('warns when the delegate is not in the files, at the delegate name', () => {
    const findings = analyzeYaml(root('{ name: api, namespace: team }'))
    expect(summarize(findings)).toEqual(['ANALYSIS_DELEGATE_NOT_FOUND VirtualService default/root spec.http[0].delegate.name'])
    expect(findings[0]).toMatchObject({ line: 8, column: 23 })
    expect(findings[0]!.message).toContain('delegate VirtualService team/api is not in these files')
  })

  it('looks for the delegate in the root namespace when the delegate names none', () => {
    expect(summarize(analyzeYaml(`${root('{ name: api }')}---\n${delegateVs('api', '', 'team')}`))).toEqual([
      'ANALYSIS_DELEGATE_NOT_FOUND VirtualService default/root spec.http[0].delegate.name',
    ])
  })

  it('warns when the named VirtualService has hosts, so it is a root and not a delegate', () => {
    const findings = analyzeYaml(`${root('{ name: other }')}---\n${vs('other', '[other]')}`)
    expect(summarize(findings)).toEqual(['ANALYSIS_DELEGATE_HAS_HOSTS VirtualService default/root spec.http[0].delegate.name'])
    expect(findings[0]!.message).toContain('VirtualService default/other has hosts, so it is a root and not a delegate')
  })

  it('warns when a delegate delegates again', () => {
    const nested = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api }
spec:
  http:
  - delegate: { name: deeper }
`
    expect(summarize(withCode(analyzeYaml(`${root('{ name: api }')}---\n${nested}`), 'ANALYSIS_DELEGATE_NESTED'))).toEqual([
      'ANALYSIS_DELEGATE_NESTED VirtualService default/api spec.http[0].delegate',
    ])
  })

  it('warns when the delegate is not exported to the root namespace', () => {
    const findings = analyzeYaml(`${root('{ name: api, namespace: team }')}---\n${delegateVs('api', '  exportTo: ["."]\n', 'team')}`)
    expect(summarize(findings)).toEqual(['ANALYSIS_DELEGATE_NOT_EXPORTED VirtualService default/root spec.http[0].delegate.name'])
  })

  it('warns at each root when two roots use one delegate', () => {
    const findings = analyzeYaml(`${root('{ name: api }', 'root-a', '[a]')}---\n${root('{ name: api }', 'root-b', '[b]')}---\n${delegateVs('api')}`)
    expect(summarize(findings)).toEqual([
      'ANALYSIS_DELEGATE_SHARED VirtualService default/root-a spec.http[0].delegate.name',
      'ANALYSIS_DELEGATE_SHARED VirtualService default/root-b spec.http[0].delegate.name',
    ])
    expect(findings[0]!.message).toContain('delegate VirtualService default/api is also used by default/root-b')
  })
})
