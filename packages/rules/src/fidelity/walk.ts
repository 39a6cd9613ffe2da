import type { FieldPath } from '../diagnostics/path.js'
import { formatPath } from '../diagnostics/path.js'
import type { RawResource } from '../source/resource.js'
import { displayKind } from '../source/resource.js'
import { MESHLET_ANNOTATION_PREFIX } from '../extensions/keys.js'
import type { FidelityEntry, FieldSupport } from './types.js'
import { appendIndex, appendKey } from './pattern.js'
import type { SupportIndex } from './pattern.js'

export const NOT_RECOGNISED = 'not recognised by this meshlet version'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Every field in use in one resource, judged by the table: `spec` and the `meshlet.io/`
 * annotations (other metadata configures nothing). A field with a row is reported once, whatever
 * it holds; a field with rows beneath is walked into; anything else is not recognised.
 */
export function fieldsInUse(resource: RawResource, index: SupportIndex): FidelityEntry[] {
  const out: FidelityEntry[] = []
  const ref = { kind: displayKind(resource.kind), namespace: resource.namespace, name: resource.name }
  // A resource that does not apply to meshlet at all: every field is judged by that, not by its row.
  const notApplied = index.support.notApplied
  const wholeResource = notApplied?.test(resource.spec) ? { when: notApplied.when, status: 'honored' as const, reason: notApplied.reason } : undefined

  const report = (path: FieldPath, pattern: string, value: unknown, row: FieldSupport | undefined) => {
    const matched = wholeResource ?? row?.cases?.find((c) => c.test(value))
    out.push({
      status: matched?.status ?? row?.status ?? 'ignored',
      reason: matched?.reason ?? row?.reason ?? NOT_RECOGNISED,
      field: formatPath(path),
      pattern,
      case: matched?.when,
      path,
      resource: ref,
      ...resource.locate(path),
    })
  }

  const visit = (value: unknown, path: FieldPath, pattern: string): void => {
    if (value === undefined || value === null) return // absent, as protobuf JSON reads null
    const row = index.row(pattern)
    if (row) return report(path, pattern, value, row)
    if (!index.hasFieldsBelow(pattern)) return report(path, pattern, value, undefined)
    if (Array.isArray(value)) {
      const itemPattern = index.canonical(appendIndex(pattern))
      value.forEach((item, i) => {
        if (isRecord(item)) walkObject(item, [...path, i], itemPattern)
      })
    } else if (isRecord(value)) {
      walkObject(value, path, pattern)
    }
    // A scalar where an object belongs is a validation error, already reported there.
  }

  const walkObject = (object: Record<string, unknown>, path: FieldPath, pattern: string): void => {
    for (const [key, value] of Object.entries(object)) visit(value, [...path, key], index.canonical(appendKey(pattern, key)))
  }

  if (isRecord(resource.spec)) walkObject(resource.spec, ['spec'], 'spec')
  for (const [key, value] of Object.entries(resource.annotations)) {
    if (!key.startsWith(MESHLET_ANNOTATION_PREFIX)) continue
    const path: FieldPath = ['metadata', 'annotations', key]
    const pattern = appendKey('metadata.annotations', key)
    report(path, pattern, value, index.row(pattern))
  }
  return out
}
