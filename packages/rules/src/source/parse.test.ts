import { describe, expect, it } from 'vitest'
import { parseText, parseObjects } from './parse.js'

const options = { defaultNamespace: 'default' }

const twoDocuments = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: prod
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
      weight: -1
---
# a comment, then an empty document
---
apiVersion: v1
kind: ConfigMap
metadata: { name: other }
`

describe('parseText', () => {
  it('reads every Istio document of a multi-document file and skips other kinds with a note', () => {
    const { resources, diagnostics } = parseText(twoDocuments, 'rules.yaml', options)
    expect(resources.map((r) => `${r.kind} ${r.namespace}/${r.name}`)).toEqual(['VirtualService prod/reviews'])
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({ severity: 'info', code: 'KIND_SKIPPED', file: 'rules.yaml', line: 17 })
  })

  it('locates a nested value at its line and column', () => {
    const [vs] = parseText(twoDocuments, 'rules.yaml', options).resources
    expect(vs!.locate(['spec', 'http', 0, 'route', 0, 'weight'])).toEqual({ file: 'rules.yaml', line: 12, column: 15 })
    expect(vs!.locate(['spec', 'hosts', 0])).toEqual({ file: 'rules.yaml', line: 7, column: 11 })
  })

  it('falls back to the nearest ancestor for a path that is not written', () => {
    const [vs] = parseText(twoDocuments, 'rules.yaml', options).resources
    expect(vs!.locate(['spec', 'http', 0, 'timeout'])).toEqual({ file: 'rules.yaml', line: 9, column: 5 })
  })

  it('reads a Kubernetes List and locates its items', () => {
    const list = `apiVersion: v1
kind: List
items:
- apiVersion: networking.istio.io/v1beta1
  kind: DestinationRule
  metadata: { name: a }
  spec: { host: a }
`
    const { resources } = parseText(list, 'list.yaml', options)
    expect(resources.map((r) => r.name)).toEqual(['a'])
    expect(resources[0]!.locate(['spec', 'host'])).toEqual({ file: 'list.yaml', line: 7, column: 17 })
  })

  it('reads JSON', () => {
    const { resources } = parseText('{"apiVersion":"networking.istio.io/v1alpha3","kind":"ServiceEntry","metadata":{"name":"ext"},"spec":{"hosts":["a.com"]}}', 'se.json', options)
    expect(resources[0]).toMatchObject({ kind: 'ServiceEntry', namespace: 'default', name: 'ext' })
  })

  it('reports a YAML syntax error at its position and keeps reading other documents', () => {
    const { resources, diagnostics } = parseText('a: [1, 2\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: b}\nspec: {host: b}\n', 'bad.yaml', options)
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'YAML_SYNTAX', file: 'bad.yaml', line: 2, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' })
    expect(resources.map((r) => r.name)).toEqual(['b'])
  })

  it('rejects an unknown apiVersion for an Istio kind', () => {
    const { diagnostics } = parseText('apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: x}\nspec: {}\n', 'v.yaml', options)
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'UNKNOWN_API_VERSION', line: 1, column: 13 })
  })

  it('requires metadata.name', () => {
    const { diagnostics } = parseText('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {}\nspec: {}\n', 'v.yaml', options)
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'MISSING_NAME' })
  })
})

describe('parseObjects', () => {
  it('takes plain objects and names their source by index', () => {
    const { resources } = parseObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r' }, spec: { host: 'r' } }], '<resources>', options)
    expect(resources[0]!.file).toBe('<resources>[0]')
  })
})

describe('parseText on YAML aliases', () => {
  it('reports an unquoted wildcard host (an unresolved alias) as a syntax error instead of throwing', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext}\nspec:\n  hosts: [*.example.com]\n'
    const { resources, diagnostics } = parseText(text, 'se.yaml', options)
    expect(resources).toEqual([])
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'YAML_SYNTAX', file: 'se.yaml' })
    expect(diagnostics[0]!.message).toContain('must be quoted')
  })
})
