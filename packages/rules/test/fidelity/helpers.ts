import { parseText } from '../../src/source/parse.js'
import type { RawResource } from '../../src/source/resource.js'

export function resourcesOf(yaml: string): RawResource[] {
  const { resources, diagnostics } = parseText(yaml, 'rules.yaml', { defaultNamespace: 'default' })
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`test YAML does not parse: ${diagnostics.map((d) => d.message).join('; ')}`)
  return resources
}
