import { describe, expect, it } from 'vitest'
import { analyzeYaml, summarize, withCode } from './helpers.js'

const routeTo = (host: string, namespace = 'default') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: caller, namespace: ${namespace} }
spec:
  hosts: [caller]
  http:
  - route:
    - destination: { host: ${host} }
    mirror: { host: ${host} }
`

const serviceEntry = (host: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: external }
spec:
  hosts: ["${host}"]
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  resolution: DNS
`

describe('analysis: hosts nothing declares', () => {
  it('warns about an external route and mirror host that no ServiceEntry declares', () => {
    const findings = withCode(analyzeYaml(routeTo('api.example.com')), 'ANALYSIS_HOST_NOT_DECLARED')
    expect(summarize(findings)).toEqual([
      'ANALYSIS_HOST_NOT_DECLARED VirtualService default/caller spec.http[0].route[0].destination.host',
      'ANALYSIS_HOST_NOT_DECLARED VirtualService default/caller spec.http[0].mirror.host',
    ])
    expect(findings[0]).toMatchObject({ line: 8, column: 28, severity: 'warning', analysis: true })
    expect(findings[0]!.message).toMatch(/^host api\.example\.com is not declared by any ServiceEntry, VirtualService or DestinationRule in these files \(istioctl analyze IST0101/)
  })

  it('accepts a host declared by a ServiceEntry, exactly or by wildcard', () => {
    expect(withCode(analyzeYaml(`${routeTo('api.example.com')}---\n${serviceEntry('api.example.com')}`), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
    expect(withCode(analyzeYaml(`${routeTo('api.example.com')}---\n${serviceEntry('*.example.com')}`), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
    expect(withCode(analyzeYaml(`${routeTo('example.com')}---\n${serviceEntry('*.example.com')}`), 'ANALYSIS_HOST_NOT_DECLARED')).toHaveLength(2)
  })

  it('accepts a host that is the host of a VirtualService or a DestinationRule of the files', () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api }
spec:
  hosts: [api.example.com]
  http: [{ route: [{ destination: { host: api.example.com } }] }]
`
    expect(withCode(analyzeYaml(`${routeTo('api.example.com')}---\n${vs}`), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
    const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api }
spec: { host: api.example.com }
`
    expect(withCode(analyzeYaml(`${routeTo('api.example.com')}---\n${dr}`), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
  })

  it('never reports short names or Kubernetes service names, which the cluster declares', () => {
    expect(withCode(analyzeYaml(routeTo('ratings')), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
    expect(withCode(analyzeYaml(routeTo('ratings.prod.svc.cluster.local')), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
    expect(withCode(analyzeYaml(routeTo('10.0.0.7')), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
  })

  it('uses the configured cluster domain', () => {
    expect(withCode(analyzeYaml(routeTo('ratings.prod.svc.corp.internal'), { domain: 'corp.internal' }), 'ANALYSIS_HOST_NOT_DECLARED')).toEqual([])
    expect(withCode(analyzeYaml(routeTo('ratings.prod.svc.cluster.local'), { domain: 'corp.internal' }), 'ANALYSIS_HOST_NOT_DECLARED')).toHaveLength(2)
  })

  it('points out that Istio does not expand a dotted name such as reviews.prod', () => {
    const other = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings, namespace: prod }
spec: { host: ratings }
`
    const [finding] = withCode(analyzeYaml(`${routeTo('ratings.prod')}---\n${other}`), 'ANALYSIS_HOST_NOT_DECLARED')
    expect(finding!.message).toContain('Istio treats a name with a dot as fully qualified, so for the Kubernetes service write ratings.prod.svc.cluster.local')
  })

  it('warns about a DestinationRule for an external host that nothing declares (IST0174)', () => {
    const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: payments }
spec:
  host: payments.example.com
  trafficPolicy: { loadBalancer: { simple: RANDOM } }
`
    const findings = withCode(analyzeYaml(dr), 'ANALYSIS_DESTINATION_RULE_HOST_NOT_DECLARED')
    expect(summarize(findings)).toEqual(['ANALYSIS_DESTINATION_RULE_HOST_NOT_DECLARED DestinationRule default/payments spec.host'])
    expect(findings[0]).toMatchObject({ line: 5, column: 9 })
    expect(findings[0]!.message).toContain('IST0174 UnknownDestinationRuleHost')
    expect(withCode(analyzeYaml(`${dr}---\n${serviceEntry('payments.example.com')}`), 'ANALYSIS_DESTINATION_RULE_HOST_NOT_DECLARED')).toEqual([])
    expect(withCode(analyzeYaml(dr.replace('payments.example.com', 'payments')), 'ANALYSIS_DESTINATION_RULE_HOST_NOT_DECLARED')).toEqual([])
  })
})
