import { parseText } from '../../src/source/parse.js'
import { analyzeResources } from '../../src/analyze/index.js'
import { formatPath } from '../../src/diagnostics/path.js'
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js'
import type { CompileOptions } from '../../src/compile/options.js'

/** Parses multi-document YAML (namespace `default` unless written) and analyzes it. */
export function analyzeYaml(yaml: string, options: CompileOptions = {}): Diagnostic[] {
  const { resources, diagnostics } = parseText(yaml, 'rules.yaml', { defaultNamespace: 'default' })
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`test YAML does not parse: ${diagnostics.map((d) => d.message).join('; ')}`)
  return analyzeResources(resources, options)
}

/** `code resource path` of each finding, for compact assertions. */
export function summarize(findings: readonly Diagnostic[]): string[] {
  return findings.map((d) => `${d.code} ${d.resource?.kind} ${d.resource?.namespace}/${d.resource?.name} ${formatPath(d.path)}`)
}

export function withCode(findings: readonly Diagnostic[], code: string): Diagnostic[] {
  return findings.filter((d) => d.code === code)
}
