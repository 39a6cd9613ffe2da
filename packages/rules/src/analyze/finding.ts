import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { FieldPath } from '../diagnostics/path.js'
import type { RawResource } from '../source/resource.js'
import { displayKind } from '../source/resource.js'
import type { AnalysisCode } from './codes.js'

/** Where checks put findings: always a warning marked `analysis` (the pipeline upgrades under strict). */
export type Report = (resource: RawResource, path: FieldPath, code: AnalysisCode, message: string) => void

export function collectInto(into: Diagnostic[]): Report {
  return (resource, path, code, message) => {
    into.push({
      severity: 'warning',
      code,
      message,
      ...resource.locate(path),
      resource: { kind: displayKind(resource.kind), namespace: resource.namespace, name: resource.name },
      path,
      analysis: true,
    })
  }
}

export function refName(resource: RawResource): string {
  return `${resource.namespace}/${resource.name}`
}
