import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { MeshConfigError } from '../diagnostics/config-error.js'
import type { RawResource } from '../source/resource.js'
import type { ResourceKind } from '../source/resource.js'
import { RESOURCE_KINDS } from '../source/resource.js'
import { FIELD_SUPPORT } from './field-support.js'
import { SupportIndex } from './pattern.js'
import { fieldsInUse } from './walk.js'
import type { FidelityEntry, FidelityOptions, FidelityReport } from './types.js'

/** The table, indexed once per process. */
let indexes: Readonly<Record<ResourceKind, SupportIndex>> | undefined
function supportIndexes(): Readonly<Record<ResourceKind, SupportIndex>> {
  indexes ??= Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, new SupportIndex(FIELD_SUPPORT[kind])])) as Record<ResourceKind, SupportIndex>
  return indexes
}

/** What fidelity reads: a compiled snapshot, or just the resources (e.g. ones that did not compile). */
export interface FidelitySource {
  readonly resources: readonly RawResource[]
}

/**
 * Lists every field in use across the resources as honored, approximated or ignored, with the
 * reason and where it is written. Ignored fields also come back as diagnostics (`errors`): errors
 * under `strict`, warnings otherwise.
 */
export function fidelity(snapshot: FidelitySource, options: FidelityOptions = {}): FidelityReport {
  const all = supportIndexes()
  const entries = snapshot.resources
    .flatMap((resource) => fieldsInUse(resource, all[resource.kind]))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.field.localeCompare(b.field))
  const summary = { honored: 0, approximated: 0, ignored: 0 }
  for (const entry of entries) summary[entry.status] += 1
  const severity = options.strict ? 'error' : 'warning'
  const errors = entries.filter((entry) => entry.status === 'ignored').map((entry) => toDiagnostic(entry, severity))
  return { entries, summary, errors }
}

/** Throws a MeshConfigError (MESHLET_ERR_FIDELITY_STRICT) listing every ignored field, if any. */
export function assertFidelity(snapshot: FidelitySource): void {
  const report = fidelity(snapshot, { strict: true })
  if (report.errors.length > 0) throw new MeshConfigError(report.errors, 'MESHLET_ERR_FIDELITY_STRICT')
}

function toDiagnostic(entry: FidelityEntry, severity: 'error' | 'warning'): Diagnostic {
  return {
    severity,
    code: 'FIDELITY_IGNORED',
    message: `ignored by meshlet: ${entry.reason}`,
    file: entry.file,
    line: entry.line,
    column: entry.column,
    resource: entry.resource,
    path: entry.path,
  }
}
