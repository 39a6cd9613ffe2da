import { loadMeshConfig } from '@meshlet/rules'
import type { MeshSnapshot, PipelineOptions } from '@meshlet/rules'

/** Compiles YAML through the real pipeline and fails the test with every finding when it does not compile. */
export async function compileYaml(yaml: string, options: PipelineOptions = {}): Promise<MeshSnapshot> {
  const result = await loadMeshConfig({ yaml, ...options })
  if (!result.snapshot) {
    throw new Error(`expected the rules to compile:\n${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}`)
  }
  return result.snapshot
}

/** A VirtualService document. */
export function virtualService(name: string, body: string, namespace = 'default'): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${indent(body, 2)}
---
`
}

export function destinationRule(name: string, body: string, namespace = 'default', annotations = ''): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${name}
  namespace: ${namespace}
${annotations ? `  annotations:\n${indent(annotations, 4)}\n` : ''}spec:
${indent(body, 2)}
---
`
}

export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n')
  const common = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.match(/^ */)![0].length))
  return lines.map((line) => (line.trim() === '' ? '' : pad + line.slice(common))).join('\n')
}

/** A RouteRequest for selectRoute, from a URL and headers (the same parsing explain uses). */
export { toRouteRequest as routeRequest } from '../../src/explain/request.js'
