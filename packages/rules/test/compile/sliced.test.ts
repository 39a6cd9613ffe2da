import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { explain, loadMeshConfig } from '../../src/index.js'

/** 300 VirtualServices of 5 routes: enough work for several slices. */
function rules(): string {
  const docs: string[] = []
  for (let i = 0; i < 300; i++) {
    docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc-${i} }
spec:
  hosts: [svc-${i}]
  http:
  - match: [{ headers: { end-user: { exact: u-${i} } } }]
    route: [{ destination: { host: svc-${i}, subset: v2 } }]
  - match: [{ uri: { prefix: /api/ } }]
    route: [{ destination: { host: svc-${i}, subset: v1 } }]
  - match: [{ uri: { regex: "/items/[0-9]+" } }]
    route: [{ destination: { host: svc-${i}, subset: v1 } }]
  - match: [{ queryParams: { v: { exact: beta } } }]
    route: [{ destination: { host: svc-${i}, subset: v2 } }]
  - route: [{ destination: { host: svc-${i}, subset: v1 }, weight: 90 }, { destination: { host: svc-${i}, subset: v2 }, weight: 10 }]
`)
  }
  return docs.join('---\n')
}

describe('loading rules in slices (a reload in a serving process)', () => {
  it('gives the event loop back while it works, and compiles the same rules', async () => {
    const yaml = rules()
    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 0)
    const sliced = await loadMeshConfig({ yaml, sliceMs: 1 })
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(2)
    const whole = await loadMeshConfig({ yaml })
    expect(sliced.diagnostics).toEqual(whole.diagnostics)
    for (const [i, headers] of [[7, { 'end-user': 'u-7' }], [299, {}], [3, { 'end-user': 'x' }]] as const) {
      const request = { method: 'GET', url: `http://svc-${i}/items/3`, headers }
      expect(explain(sliced.snapshot!, request, { random: seededRandom(1) })).toEqual(explain(whole.snapshot!, request, { random: seededRandom(1) }))
    }
  })

  it('reports the same findings as an unsliced load when the rules are invalid', async () => {
    const yaml = rules().replace('weight: 90', 'weight: -90')
    const sliced = await loadMeshConfig({ yaml, sliceMs: 1 })
    const whole = await loadMeshConfig({ yaml })
    expect(sliced.snapshot).toBeUndefined()
    expect(sliced.diagnostics).toEqual(whole.diagnostics)
    expect(sliced.diagnostics.some((d) => d.severity === 'error')).toBe(true)
  })
})
