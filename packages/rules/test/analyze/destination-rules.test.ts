import { loadMeshConfig } from '@meshlet/rules'
import { describe, expect, it } from 'vitest'
import { analyzeYaml, summarize, withCode } from './helpers.js'

const dr = (name: string, body: string, metadata = '') => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}${metadata} }
spec:
  host: reviews
${body}`

const withPolicy = '  trafficPolicy: { loadBalancer: { simple: RANDOM } }\n'
const subsets = (...names: string[]) => `  subsets:\n${names.map((n) => `  - { name: ${n}, labels: { version: ${n} } }\n`).join('')}`

describe('analysis: several DestinationRules for one host', () => {
  it("reports a later rule's top-level trafficPolicy as ignored, at that trafficPolicy", () => {
    const findings = analyzeYaml(`${dr('b', withPolicy)}---\n${dr('a', withPolicy)}`)
    expect(summarize(findings)).toEqual(['ANALYSIS_DUPLICATE_DESTINATION_RULE DestinationRule default/b spec.trafficPolicy'])
    expect(findings[0]).toMatchObject({ line: 6, column: 18 })
    expect(findings[0]!.message).toBe(
      'DestinationRule default/a also configures host reviews.default.svc.cluster.local; Istio merges rules of one namespace for one host (oldest first: creationTimestamp, then name): subsets are added to the oldest rule\'s, and only the top-level trafficPolicy of default/a applies: this one is ignored',
    )
  })

  it("says a later rule's trafficPolicy applies when no older rule has one", () => {
    const findings = analyzeYaml(`${dr('a', subsets('v1'))}---\n${dr('b', withPolicy + subsets('v2'))}`)
    expect(summarize(findings)).toEqual(['ANALYSIS_DUPLICATE_DESTINATION_RULE DestinationRule default/b spec.host'])
    expect(findings[0]!.message).toContain("this rule's top-level trafficPolicy applies because no older rule has one")
  })

  it('reports a subset name defined again by a later rule, at that subset name', () => {
    const findings = withCode(
      analyzeYaml(`${dr('a', subsets('v1'), ', creationTimestamp: "2024-01-02T00:00:00Z"')}---\n${dr('b', subsets('v2', 'v1'), ', creationTimestamp: "2024-01-01T00:00:00Z"')}`),
      'ANALYSIS_DUPLICATE_SUBSET',
    )
    // b is older by creationTimestamp, so a's v1 is the one dropped
    expect(summarize(findings)).toEqual(['ANALYSIS_DUPLICATE_SUBSET DestinationRule default/a spec.subsets[0].name'])
    expect(findings[0]!.message).toContain('already defined by the older DestinationRule default/b')
  })

  it('does not report rules in different namespaces or with different workload selectors', () => {
    expect(analyzeYaml(`${dr('a', withPolicy)}---\n${dr('b', withPolicy, ', namespace: prod')}`).filter((d) => d.code.startsWith('ANALYSIS_DUPLICATE'))).toEqual([])
    const selected = `  workloadSelector: { matchLabels: { app: productpage } }\n${withPolicy}`
    expect(analyzeYaml(`${dr('a', withPolicy)}---\n${dr('b', selected)}`)).toEqual([])
  })

  it('treats a short name and its FQDN as one host', () => {
    const fqdn = dr('b', withPolicy).replace('host: reviews', 'host: reviews.default.svc.cluster.local')
    expect(summarize(analyzeYaml(`${dr('a', withPolicy)}---\n${fqdn}`))).toEqual(['ANALYSIS_DUPLICATE_DESTINATION_RULE DestinationRule default/b spec.trafficPolicy'])
  })
})

const staticEntry = (endpoints: string, resolution = 'STATIC') => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments }
spec:
  hosts: [payments.example.com]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: ${resolution}
${endpoints}`

const paymentsRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: payments }
spec:
  host: payments.example.com
  subsets:
  - name: v1
    labels: { version: v1 }
  - name: eu
    labels: { version: v1, topology.kubernetes.io/region: eu-west1 }
  - name: v2
    labels: { version: v2 }
`

describe('analysis: subsets that select no endpoint (IST0173)', () => {
  const endpoints = `  endpoints:
  - { address: 10.0.0.1, labels: { version: v1 }, locality: eu-west1/b }
  - { address: 10.0.0.2, labels: { version: v1 }, locality: us-east1/a }
`
  it('warns about a subset whose labels no listed endpoint carries, at its labels', () => {
    const findings = withCode(analyzeYaml(`${staticEntry(endpoints)}---\n${paymentsRule}`), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')
    expect(summarize(findings)).toEqual(['ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT DestinationRule default/payments spec.subsets[2].labels'])
    expect(findings[0]).toMatchObject({ line: 23, column: 13 })
    expect(findings[0]!.message).toBe(
      'subset "v2" selects version=v2, which no ServiceEntry endpoint of host payments.example.com carries (istioctl analyze IST0173 DestinationRuleSubsetNotSelectPods); calls routed to it fail with 503 (no healthy upstream)',
    )
  })

  it('matches topology labels from the endpoint locality, as Istio adds them', () => {
    const onlyUs = endpoints.replace('eu-west1/b', 'us-east1/b')
    const findings = withCode(analyzeYaml(`${staticEntry(onlyUs)}---\n${paymentsRule}`), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')
    expect(summarize(findings)).toEqual([
      'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT DestinationRule default/payments spec.subsets[1].labels',
      'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT DestinationRule default/payments spec.subsets[2].labels',
    ])
  })

  it('uses the WorkloadEntries a workloadSelector picks as the endpoints', () => {
    const selector = '  workloadSelector: { labels: { app: payments } }\n'
    const we = (name: string, version: string, namespace = 'default') => `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec: { address: 10.1.0.1, labels: { app: payments, version: ${version} }, locality: eu-west1/a }
`
    const yaml = `${staticEntry(selector)}---\n${paymentsRule}---\n${we('p1', 'v1')}---\n${we('p2', 'v2', 'elsewhere')}`
    const findings = withCode(analyzeYaml(yaml), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')
    expect(summarize(findings)).toEqual(['ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT DestinationRule default/payments spec.subsets[2].labels'])
    expect(findings[0]!.message).toContain('which no WorkloadEntry of host payments.example.com carries')
  })

  it('judges a DNS entry without endpoints as one endpoint with no labels', () => {
    expect(withCode(analyzeYaml(`${staticEntry('', 'DNS')}---\n${paymentsRule}`), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')).toHaveLength(3)
  })

  it('does not judge hosts whose endpoints the files do not list', () => {
    expect(withCode(analyzeYaml(`${staticEntry('', 'NONE')}---\n${paymentsRule}`), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')).toEqual([])
    expect(withCode(analyzeYaml(paymentsRule), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')).toEqual([])
    const kubernetes = paymentsRule.replace('payments.example.com', 'payments')
    expect(withCode(analyzeYaml(kubernetes), 'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT')).toEqual([])
  })
})

describe('analysis: ServiceEntry workloadSelector (IST0127)', () => {
  const entry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: vms }
spec:
  hosts: [vms.example.com]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: STATIC
  workloadSelector:
    labels: { app: vm }
`
  const we = (namespace: string, app: string) => `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: vm-1, namespace: ${namespace} }
spec: { address: 10.2.0.1, labels: { app: ${app}, version: v1 } }
`
  it('warns when no WorkloadEntry of the namespace carries the selector labels, at the labels', () => {
    for (const other of [we('default', 'db'), we('elsewhere', 'vm')]) {
      const findings = withCode(analyzeYaml(`${entry}---\n${other}`), 'ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING')
      expect(summarize(findings)).toEqual(['ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING ServiceEntry default/vms spec.workloadSelector.labels'])
      expect(findings[0]).toMatchObject({ line: 9, column: 13 })
      expect(findings[0]!.message).toContain('meshlet cannot see pods')
    }
  })

  it('accepts a selector that picks a WorkloadEntry', () => {
    expect(analyzeYaml(`${entry}---\n${we('default', 'vm')}`)).toEqual([])
  })

  it('takes a DNS entry\'s selector as selecting WorkloadEntries, as Istio does, and never calls it ignored', async () => {
    const dnsEntry = entry.replace('resolution: STATIC', 'resolution: DNS')
    const selected = await loadMeshConfig({ yaml: `${dnsEntry}---\n${we('default', 'vm')}` })
    expect(selected.diagnostics.map((d) => d.code)).toEqual([])
    expect(selected.snapshot!.serviceEntries[0]!.endpoints.map((endpoint) => endpoint.address)).toEqual(['10.2.0.1'])
    const none = await loadMeshConfig({ yaml: `${dnsEntry}---\n${we('default', 'db')}` })
    expect(none.diagnostics.map((d) => d.code)).toEqual(['ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING'])
  })
})
