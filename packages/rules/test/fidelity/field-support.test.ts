import { describe, expect, it } from 'vitest'
import { fidelity } from '../../src/fidelity/index.js'
import { FIELD_SUPPORT } from '../../src/fidelity/field-support.js'
import { COMPLETE_SPECS } from '../../src/fidelity/complete-specs.js'
import { NOT_RECOGNISED } from '../../src/fidelity/walk.js'
import { EXTENSION_KEYS, MESHLET_ANNOTATION_PREFIX } from '../../src/extensions/keys.js'
import { RESOURCE_KINDS } from '../../src/source/resource.js'
import type { ResourceKind, RawResource } from '../../src/source/resource.js'
import { resourcesOf } from './helpers.js'

/** A resource holding every field of the spec types, and every meshlet.io annotation of its kind. */
function completeResource(kind: ResourceKind): RawResource {
  const annotations = Object.fromEntries(
    Object.entries(EXTENSION_KEYS)
      .filter(([, key]) => key.kinds.includes(kind))
      .map(([name]) => [`${MESHLET_ANNOTATION_PREFIX}${name}`, '{}']),
  )
  const spec = structuredClone(COMPLETE_SPECS[kind])
  return {
    kind,
    apiVersion: 'networking.istio.io/v1',
    name: 'complete',
    namespace: 'default',
    annotations,
    labels: {},
    creationTimestamp: undefined,
    object: { apiVersion: 'networking.istio.io/v1', kind, metadata: { name: 'complete', annotations }, spec },
    spec,
    file: '<complete>',
    loadIndex: 0,
    locate: () => ({ file: '<complete>', line: 1, column: 1 }),
  }
}

describe('the field support table', () => {
  for (const kind of RESOURCE_KINDS) {
    it(`has a row for every ${kind} field of the spec types and every meshlet.io annotation of the kind`, () => {
      const report = fidelity({ resources: [completeResource(kind)] })
      const unknown = report.entries.filter((e) => e.reason === NOT_RECOGNISED).map((e) => e.field)
      expect(unknown).toEqual([])
      expect(report.entries.length).toBeGreaterThan(5)
    })

    it(`has no ${kind} row that the fully populated example does not reach`, () => {
      const reached = new Set(fidelity({ resources: [completeResource(kind)] }).entries.map((e) => e.pattern))
      const stale = FIELD_SUPPORT[kind].fields.map((row) => row.pattern).filter((pattern) => !reached.has(pattern))
      expect(stale).toEqual([])
    })
  }

  it('reports a field it does not know as ignored, not recognised by this meshlet version', () => {
    const [vs] = resourcesOf(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: typo }
spec:
  hosts: [reviews]
  http:
  - retires: { attempts: 3 }
    route: [{ destination: { host: reviews } }]
`)
    const entry = fidelity({ resources: [vs!] }).entries.find((e) => e.field === 'spec.http[0].retires')
    expect(entry).toMatchObject({ status: 'ignored', reason: 'not recognised by this meshlet version', line: 7, column: 14 })
  })

  it('reports a meshlet.io annotation it does not know as not recognised, and ignores other annotations', () => {
    const [dr] = resourcesOf(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  annotations:
    meshlet.io/load-balancer: PEAK_EWMA
    meshlet.io/hedging: "on"
    kubectl.kubernetes.io/last-applied-configuration: "{}"
spec: { host: reviews }
`)
    const entries = fidelity({ resources: [dr!] }).entries
    expect(entries.map((e) => [e.field, e.status])).toEqual([
      ['metadata.annotations["meshlet.io/load-balancer"]', 'honored'],
      ['metadata.annotations["meshlet.io/hedging"]', 'ignored'],
      ['spec.host', 'honored'],
    ])
    expect(entries[0]!.reason).toMatch(/^meshlet extension \(Istio ignores it\)/)
    expect(entries[1]!.reason).toBe('not recognised by this meshlet version')
  })
})
