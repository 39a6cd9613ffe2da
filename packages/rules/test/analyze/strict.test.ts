import { describe, expect, it } from 'vitest'
import { loadMeshConfig } from '../../src/index.js'
import { analyzeYaml } from './helpers.js'

const routeToMissingSubset = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v2 }
`

describe('analysis under strict', () => {
  it('turns analysis findings into errors through loadMeshConfig, so no snapshot is produced', async () => {
    const result = await loadMeshConfig({ yaml: routeToMissingSubset, strict: true })
    expect(result.snapshot).toBeUndefined()
    const analysis = result.diagnostics.filter((d) => d.analysis)
    expect(analysis.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([['error', 'ANALYSIS_SUBSET_NOT_FOUND', 8, 45]])
  })

  it('leaves them as warnings without strict', () => {
    expect(analyzeYaml(routeToMissingSubset).map((d) => d.severity)).toEqual(['warning'])
  })
})

describe('analysis of resources that failed validation', () => {
  it('skips the broken parts instead of throwing', () => {
    const broken = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: broken }
spec:
  hosts: reviews
  gateways: mesh
  exportTo: 7
  http:
  - "not a route"
  - route: { destination: 3 }
    mirror: [1]
    mirrors: { destination: { host: x } }
    delegate: { name: 12 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: broken }
spec:
  host: [a]
  subsets: [{ name: 1 }, "x", { name: v1, labels: [] }]
  workloadSelector: { matchLabels: 3 }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: broken }
spec:
  hosts: [7]
  resolution: STATIC
  endpoints: [3, { labels: "x" }]
  workloadSelector: []
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: broken }
spec: "nope"
`
    expect(() => analyzeYaml(broken)).not.toThrow()
    expect(analyzeYaml(broken)).toEqual([])
  })
})
