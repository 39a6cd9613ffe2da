import { describe, expect, it } from 'vitest'
import { parseText } from './parse.js'
import { resolveKubernetesScalar } from './kubernetes-scalars.js'

/** The spec of a one-document ServiceEntry whose spec body is `body`. */
function specOf(body: string) {
  const text = `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se}\nspec:\n${body}\n`
  const { resources, diagnostics } = parseText(text, 'se.yaml', { defaultNamespace: 'default' })
  expect(diagnostics).toEqual([])
  return { spec: resources[0]!.object.spec as Record<string, unknown>, resource: resources[0]! }
}

describe('plain scalars read as Kubernetes (sigs.k8s.io/yaml, go-yaml v2) reads them', () => {
  it('keeps an IPv6 address ending in "::" inside a flow list a string, as Istio\'s own valid ServiceEntry writes it', () => {
    const { spec } = specOf('  addresses: [1.2.3.4, 001:db8::, fe80::]')
    expect(spec.addresses).toEqual(['1.2.3.4', '001:db8::', 'fe80::'])
  })

  it('still reads "key: value" and an explicit "key:" with a space as a map in a flow list', () => {
    const { spec } = specOf('  x: [a: b, "q:", c: ]')
    expect(spec.x).toEqual([{ a: 'b' }, 'q:', { c: null }])
  })

  it('locates an item read back as a string at its own column', () => {
    const { resource } = specOf('  addresses: [1.2.3.4, 001:db8::]')
    expect(resource.locate(['spec', 'addresses', 1])).toMatchObject({ line: 5, column: 24 })
  })

  it('reads the YAML 1.1 words Kubernetes reads as booleans and nulls', () => {
    for (const word of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) expect(resolveKubernetesScalar(word), word).toBe(true)
    for (const word of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) expect(resolveKubernetesScalar(word), word).toBe(false)
    for (const word of ['', '~', 'null', 'Null', 'NULL']) expect(resolveKubernetesScalar(word), word).toBeNull()
    for (const word of ['yES', 'oN', 'nULL', 'tRUE']) expect(resolveKubernetesScalar(word), word).toBe(word)
  })

  it('reads integers with Go\'s prefixes: a leading 0 is octal, underscores are dropped', () => {
    const cases: Array<[string, number]> = [['017', 15], ['0o17', 15], ['0x1F', 31], ['-0x1F', -31], ['0b101', 5], ['+12', 12], ['1_000', 1000], ['08', 8], ['0', 0]]
    for (const [text, value] of cases) expect(resolveKubernetesScalar(text), text).toBe(value)
  })

  it('reads floats as go-yaml does, and no base-60 numbers', () => {
    const cases: Array<[string, unknown]> = [['1e3', 1000], ['.5', 0.5], ['-1.5', -1.5], ['1_000.5', 1000.5], ['.inf', Infinity], ['-.Inf', -Infinity]]
    for (const [text, value] of cases) expect(resolveKubernetesScalar(text), text).toBe(value)
    expect(resolveKubernetesScalar('.NaN')).toBeNaN()
    for (const text of ['1:20', '12:30:00', '190:20:30', '1.2.3.4', '0x', '1e', '-', '.', '_1', '2001:db8::1']) expect(resolveKubernetesScalar(text), text).toBe(text)
  })

  it('writes a date alone as the RFC 3339 text Kubernetes gives it', () => {
    expect(resolveKubernetesScalar('2024-1-2')).toBe('2024-01-02T00:00:00Z')
    expect(resolveKubernetesScalar('2024-01-02T10:00:00Z')).toBe('2024-01-02T10:00:00Z')
  })

  it('resolves only plain scalars: quoted text and !!str stay strings', () => {
    const { spec } = specOf('  a: "yes"\n  b: \'017\'\n  c: !!str on\n  d: yes\n  e: 017')
    expect(spec).toEqual({ a: 'yes', b: '017', c: 'on', d: true, e: 15 })
  })

  it('turns a map key that reads as a boolean into its JSON text, as sigs.k8s.io/yaml does', () => {
    const { spec } = specOf('  labels: {on: a, 8080: b, app: c}')
    expect(spec.labels).toEqual({ true: 'a', 8080: 'b', app: 'c' })
  })

  it('follows << merge keys, which go-yaml v2 supports', () => {
    const { spec } = specOf('  base: &base {number: 80, name: http}\n  ports: [{<<: *base, name: web}]')
    expect(spec.ports).toEqual([{ number: 80, name: 'web' }])
  })
})
