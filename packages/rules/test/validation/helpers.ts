import { formatPath, parseText, validateResource } from '@meshlet/rules'
import type { Diagnostic, IstioKind } from '@meshlet/rules'

/** Name and namespace every wrapped snippet gets: findings read `VirtualService default/test`. */
export const TEST_RESOURCE = { namespace: 'default', name: 'test' } as const

/** Lines the wrapper adds above a spec snippet (apiVersion, kind, metadata ×3, spec). */
export const SPEC_LINE_OFFSET = 6
/** Columns the wrapper adds: a spec snippet is indented by two spaces under `spec:`. */
export const SPEC_COLUMN_OFFSET = 2

/**
 * Validates YAML the way the pipeline does (parseText, then validateResource per resource) and
 * returns parse and validation diagnostics together.
 *
 * - Text with a top-level `kind:` line is taken as whole documents (any kind, `---` allowed).
 * - Anything else is a spec snippet: it is dedented and wrapped as the `spec` of one `kind`
 *   resource (VirtualService unless told), named default/test. A spec line N is then reported at
 *   line N + SPEC_LINE_OFFSET, column + SPEC_COLUMN_OFFSET.
 */
export function validateYaml(yaml: string, kind: IstioKind = 'VirtualService'): Diagnostic[] {
  const text = /^kind:/m.test(yaml) ? yaml : wrapSpec(yaml, kind)
  const { resources, diagnostics } = parseText(text, 'test.yaml', { defaultNamespace: TEST_RESOURCE.namespace })
  return [...diagnostics, ...resources.flatMap((resource) => validateResource(resource))]
}

/** Turns a spec snippet into a full document of `kind` named default/test. */
export function wrapSpec(spec: string, kind: IstioKind = 'VirtualService'): string {
  const body = dedent(spec)
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n')
  return `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata:\n  name: ${TEST_RESOURCE.name}\n  namespace: ${TEST_RESOURCE.namespace}\nspec:\n${body}\n`
}

/** The findings located at exactly this formatted path, e.g. `spec.http[0].route[1].weight`. */
export function findingsAt(diagnostics: readonly Diagnostic[], path: string): Diagnostic[] {
  return diagnostics.filter((d) => formatPath(d.path) === path)
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error')
}

export function warningsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'warning')
}

/** One line per finding (`severity path: message`), for readable assertion failures. */
export function describeFindings(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${formatPath(d.path)}: ${d.message}`).join('\n')
}

/** Removes blank leading/trailing lines and the indentation common to all lines. */
function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\n\s*$/, '').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length)
  const common = indents.length === 0 ? 0 : Math.min(...indents)
  return lines.map((line) => line.slice(common)).join('\n')
}
