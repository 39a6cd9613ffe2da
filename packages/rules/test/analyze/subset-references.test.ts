import { describe, expect, it } from 'vitest'
import { analyzeYaml, summarize, withCode } from './helpers.js'

const reviewsRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  subsets:
  - name: v1
    labels: { version: v1 }
  - name: v3
    labels: { version: v3 }
`

const routeTo = (subset: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: 50
    - destination:
        host: reviews
        subset: ${subset}
      weight: 50
${extra}`

describe('analysis: route and mirror subsets', () => {
  it('warns about a route subset that no DestinationRule for the host defines, at the subset value', () => {
    const findings = withCode(analyzeYaml(`${routeTo('v2')}---\n${reviewsRule}`), 'ANALYSIS_SUBSET_NOT_FOUND')
    expect(summarize(findings)).toEqual(['ANALYSIS_SUBSET_NOT_FOUND VirtualService default/reviews spec.http[0].route[1].destination.subset'])
    expect(findings[0]).toMatchObject({ severity: 'warning', analysis: true, file: 'rules.yaml', line: 14, column: 17 })
    expect(findings[0]!.message).toBe(
      'subset "v2" is not defined: DestinationRule default/reviews for host reviews.default.svc.cluster.local defines v1, v3 (istioctl analyze IST0101 ReferencedResourceNotFound); calls routed here fail with 503',
    )
  })

  it('accepts subsets that the DestinationRule defines', () => {
    expect(withCode(analyzeYaml(`${routeTo('v3')}---\n${reviewsRule}`), 'ANALYSIS_SUBSET_NOT_FOUND')).toEqual([])
  })

  it('says so when no DestinationRule exists for the host at all', () => {
    const [finding] = withCode(analyzeYaml(routeTo('v3')), 'ANALYSIS_SUBSET_NOT_FOUND')
    expect(finding!.message).toContain('no DestinationRule for host reviews.default.svc.cluster.local is in these files')
  })

  it('checks mirror and mirrors destinations and says the call itself is unaffected', () => {
    const mirrors = `    mirror: { host: reviews, subset: shadow }
    mirrors:
    - destination: { host: reviews, subset: v1 }
    - destination: { host: reviews, subset: canary }
`
    const findings = withCode(analyzeYaml(`${routeTo('v3', mirrors)}---\n${reviewsRule}`), 'ANALYSIS_SUBSET_NOT_FOUND')
    expect(summarize(findings)).toEqual([
      'ANALYSIS_SUBSET_NOT_FOUND VirtualService default/reviews spec.http[0].mirror.subset',
      'ANALYSIS_SUBSET_NOT_FOUND VirtualService default/reviews spec.http[0].mirrors[1].destination.subset',
    ])
    expect(findings[0]!.message).toContain('mirrored copies to it fail (the call itself is unaffected)')
  })

  it('resolves short names in the namespace of each rule, as Istio does', () => {
    // The rule lives in prod, so its `reviews` is reviews.prod.svc.cluster.local, not the default one.
    const prodRule = reviewsRule.replace('metadata: { name: reviews }', 'metadata: { name: reviews, namespace: prod }')
    const findings = withCode(analyzeYaml(`${routeTo('v3')}---\n${prodRule}`), 'ANALYSIS_SUBSET_NOT_FOUND')
    expect(findings.map((d) => d.message)).toEqual([
      expect.stringContaining('subset "v1" is not defined: no DestinationRule for host reviews.default.svc.cluster.local'),
      expect.stringContaining('subset "v3" is not defined: no DestinationRule for host reviews.default.svc.cluster.local'),
    ])
    const fqdnRoute = routeTo('v3').replaceAll('host: reviews\n', 'host: reviews.prod.svc.cluster.local\n')
    expect(withCode(analyzeYaml(`${fqdnRoute}---\n${prodRule}`), 'ANALYSIS_SUBSET_NOT_FOUND')).toEqual([])
  })

  it('finds subsets on the most specific wildcard DestinationRule when no exact one exists', () => {
    const wildcard = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: all-internal }
spec:
  host: "*.default.svc.cluster.local"
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v3, labels: { version: v3 } }
`
    expect(withCode(analyzeYaml(`${routeTo('v3')}---\n${wildcard}`), 'ANALYSIS_SUBSET_NOT_FOUND')).toEqual([])
  })

  it('does not look past an exact DestinationRule to a wildcard one, as the runtime lookup does not', () => {
    const wildcard = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: all-internal }
spec:
  host: "*.svc.cluster.local"
  subsets:
  - { name: v9, labels: { version: v9 } }
`
    const findings = withCode(analyzeYaml(`${routeTo('v9')}---\n${reviewsRule}---\n${wildcard}`), 'ANALYSIS_SUBSET_NOT_FOUND')
    expect(summarize(findings)).toEqual(['ANALYSIS_SUBSET_NOT_FOUND VirtualService default/reviews spec.http[0].route[1].destination.subset'])
  })
})
