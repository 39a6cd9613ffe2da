import type { FieldPath } from './path.js'
import { formatPath } from './path.js'

export type Severity = 'error' | 'warning' | 'info'

/**
 * One finding about the input, located at the offending value. `code` is stable and names the
 * rule that fired (for example `VS_WEIGHT_NEGATIVE`), so tools can filter without parsing text.
 */
export interface Diagnostic {
  readonly severity: Severity
  readonly code: string
  readonly message: string
  readonly file: string
  /** 1-based; 0 when the finding is about the file or path as a whole (for example, unreadable). */
  readonly line: number
  readonly column: number
  /** Resource this is about, when there is one (a YAML syntax error has none). */
  readonly resource?: { readonly kind: string; readonly namespace: string; readonly name: string }
  readonly path: FieldPath
  /** True for findings of cross-resource analysis (warnings unless --strict). */
  readonly analysis?: boolean
}

/**
 * `file:line:col  Kind namespace/name  spec.http[0].route[1].weight: message`. A source without
 * positions (line 0: a Kubernetes object read from the API, an unreadable file) prints its name alone.
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.line > 0 ? `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}` : diagnostic.file
  const what = diagnostic.resource
    ? `${diagnostic.resource.kind} ${diagnostic.resource.namespace}/${diagnostic.resource.name}`
    : ''
  const path = formatPath(diagnostic.path)
  const subject = path === '' ? diagnostic.message : `${path}: ${diagnostic.message}`
  return [where, what, subject].filter((part) => part !== '').join('  ')
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  )
}
