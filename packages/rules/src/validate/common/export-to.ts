import type { Field } from '../field.js'
import { checkDns1123Label } from './host.js'
import { readList, readString } from './read.js'

export interface ExportToRule {
  /** Namespace of the resource: `.` stands for it, so `[., <namespace>]` is a duplicate. */
  readonly namespace: string
  /** ServiceEntry may be exported to no one (`~`); other kinds may not. */
  readonly allowNone: boolean
  /** A DestinationRule with a workloadSelector may only be exported to its own namespace. */
  readonly hasWorkloadSelector: boolean
}

const PRIVATE = '.'
const PUBLIC = '*'
const NONE = '~'

/**
 * `exportTo` as Istio's webhook checks it (`validation.go` validateExportTo, `visibility.Instance`
 * Validate): each entry is `.`, `*`, a namespace (DNS-1123 label) or, for ServiceEntry only, `~`;
 * no duplicates; `*` and `~` only alone.
 */
export function validateExportTo(field: Field, rule: ExportToRule): void {
  const entries = readList(field)
  // Each key (with "." read as the namespace) and the entry that first claimed it.
  const seen = new Map<string, string>()
  let hasPublic = false
  let hasNone = false
  for (const entryField of entries) {
    const entry = readString(entryField)
    if (entry === undefined) continue
    const key = entry === PRIVATE ? rule.namespace : entry
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      entryField.error(
        'EXPORT_TO_DUPLICATE',
        earlier !== entry
          ? `duplicate exportTo entry: "." is the current namespace ${rule.namespace}, so "${earlier}" and "${entry}" say the same`
          : `duplicate exportTo entry "${entry}"`,
      )
      continue
    }
    if (entry === NONE) {
      if (!rule.allowNone) {
        entryField.error('EXPORT_TO_INVALID', 'exportTo "~" (no one) is only allowed on a ServiceEntry')
        continue
      }
      hasNone = true
    } else if (entry === PUBLIC) {
      hasPublic = true
    } else if (entry !== PRIVATE && checkDns1123Label(entry) !== undefined) {
      entryField.error('EXPORT_TO_INVALID', `exportTo entry "${entry}" is invalid: use ".", "*" or a namespace name (a DNS-1123 label)`)
      continue
    }
    seen.set(key, entry)
  }
  if (rule.hasWorkloadSelector && seen.size > 0) {
    if (!seen.has(rule.namespace)) {
      field.error('EXPORT_TO_SELECTOR', 'a DestinationRule with a workloadSelector cannot be exported beyond its own namespace; use exportTo: ["."]')
    } else if (seen.size > 1) {
      field.error('EXPORT_TO_SELECTOR', 'a DestinationRule with a workloadSelector cannot list several exportTo entries; use exportTo: ["."]')
    }
  }
  if (hasPublic && entries.length > 1) {
    field.error('EXPORT_TO_PUBLIC_MIXED', 'exportTo "*" already means every namespace; remove the other entries')
  }
  if (hasNone && entries.length > 1) {
    field.error('EXPORT_TO_NONE_MIXED', 'exportTo "~" exports to no one and cannot be combined with other entries')
  }
}
