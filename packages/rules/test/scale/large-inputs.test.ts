import { describe, expect, it } from 'vitest'
import { formatFidelity } from '../../src/fidelity/index.js'
import type { FidelityEntry, FidelityReport } from '../../src/fidelity/index.js'
import { loadResources } from '../../src/index.js'

/**
 * Lists past ~125,000 items overflow the stack when spread into a call (`push(...list)`,
 * `Math.max(...list)`). These tests give the functions that handle whole inputs more than that.
 */
const MANY = 160_000

describe('inputs of more than 100,000 resources', () => {
  it('formats a fidelity report of 160,000 entries', () => {
    const entries: FidelityEntry[] = Array.from({ length: MANY }, (_, i) => ({
      status: 'honored',
      reason: 'r',
      field: `spec.host${i % 7 === 0 ? '.long.field.name' : ''}`,
      pattern: 'spec.host',
      case: undefined,
      path: ['spec', 'host'],
      resource: { kind: 'DestinationRule', namespace: 'default', name: `d${i}` },
      file: 'big.yaml',
      line: i + 1,
      column: 3,
    }))
    const report: FidelityReport = { entries, summary: { honored: MANY, approximated: 0, ignored: 0 }, errors: [] }
    const text = formatFidelity(report)
    expect(text.endsWith(`${MANY} honored, 0 approximated, 0 ignored\n`)).toBe(true)
    expect(text).toContain('  honored  159999:3  spec.host                  r\n')
  })

  it('loads 160,000 resources given as objects', async () => {
    const objects = Array.from({ length: MANY }, (_, i) => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `d${i}` }, spec: { host: `h${i}` } }))
    const { resources, diagnostics } = await loadResources({ resources: objects })
    expect(diagnostics).toEqual([])
    expect(resources).toHaveLength(MANY)
    expect(resources.at(-1)!.name).toBe(`d${MANY - 1}`)
  })
})
