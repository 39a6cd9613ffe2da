import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { FieldPath } from '../diagnostics/path.js'
import type { ResourceKind } from '../source/resource.js'

/**
 * - `honored`: meshlet does what Istio-on-Envoy does with the field.
 * - `approximated`: meshlet applies it, with a difference the reason states.
 * - `ignored`: meshlet does not apply it; the reason says what happens instead.
 */
export type FidelityStatus = 'honored' | 'approximated' | 'ignored'

/** A status that depends on the value written (e.g. `tls.mode: ISTIO_MUTUAL`). */
export interface FieldCase {
  /** How docs describe the case, after the field, e.g. "= `ISTIO_MUTUAL`". */
  readonly when: string
  readonly test: (value: unknown) => boolean
  readonly status: FidelityStatus
  readonly reason: string
}

/** One row of the table: a field path pattern (`[]` for any list index) and what meshlet does. */
export interface FieldSupport {
  readonly pattern: string
  readonly status: FidelityStatus
  readonly reason: string
  /** Checked in order before the row's own status; the first that matches decides. */
  readonly cases?: readonly FieldCase[]
}

export interface KindSupport {
  readonly kind: ResourceKind
  /**
   * Path prefixes that mean the same fields as another prefix, e.g. a subset's trafficPolicy is
   * read with the rows of `spec.trafficPolicy`. Applied to each pattern as it grows.
   */
  readonly aliases: ReadonlyArray<{ readonly from: string; readonly to: string; readonly note: string }>
  /**
   * When a resource of the kind does not apply to meshlet at all (a VirtualService bound only to
   * gateways), each of its fields is reported with this instead of its row: nothing in it can
   * differ from Istio, whose sidecars skip it too.
   */
  readonly notApplied?: { readonly when: string; readonly test: (spec: unknown) => boolean; readonly reason: string }
  readonly fields: readonly FieldSupport[]
}

export interface FidelityEntry {
  readonly status: FidelityStatus
  readonly reason: string
  /** The field as written, e.g. `spec.http[0].retries.retryOn`. */
  readonly field: string
  /** The table row it was judged by (after aliases), e.g. `spec.http[].retries.retryOn`. */
  readonly pattern: string
  /** The value case that decided, when one did. */
  readonly case: string | undefined
  readonly path: FieldPath
  readonly resource: { readonly kind: string; readonly namespace: string; readonly name: string }
  readonly file: string
  readonly line: number
  readonly column: number
}

export interface FidelityReport {
  /** Every field in use, sorted by file and position. */
  readonly entries: readonly FidelityEntry[]
  readonly summary: { readonly honored: number; readonly approximated: number; readonly ignored: number }
  /** The ignored entries as diagnostics: errors under `strict`, warnings otherwise. */
  readonly errors: readonly Diagnostic[]
}

export interface FidelityOptions {
  /** Report ignored fields as errors (`meshlet fidelity --strict`). */
  readonly strict?: boolean
}
