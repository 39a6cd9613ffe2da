import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { FieldPath } from '../diagnostics/path.js'
import type { RawResource } from '../source/resource.js'
import { displayKind } from '../source/resource.js'

/** Where validation findings go. */
export interface FindingSink {
  report(severity: 'error' | 'warning', code: string, message: string, path: FieldPath): void
}

/**
 * A value in a resource together with its path. Validators walk the raw, still `unknown` object
 * through fields, so every finding is located at the offending value without threading paths by hand.
 * `null` counts as absent, as protobuf JSON treats it.
 */
export class Field {
  private pathOrUndefined: FieldPath | undefined
  private readonly parent: Field | undefined
  private readonly key: string | number | undefined

  constructor(
    readonly value: unknown,
    path: FieldPath | undefined,
    private readonly sink: FindingSink,
    parent?: Field,
    key?: string | number,
  ) {
    this.pathOrUndefined = path
    this.parent = parent
    this.key = key
  }

  /**
   * Where the value is, from the resource's root. Built only when asked for (a finding, which is
   * rare): a validator walks tens of thousands of fields and copying a path for each one was most
   * of validation's allocation.
   */
  get path(): FieldPath {
    if (this.pathOrUndefined === undefined) this.pathOrUndefined = [...this.parent!.path, this.key!]
    return this.pathOrUndefined
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null
  }

  at(key: string | number): Field {
    const value = this.value
    let child: unknown
    if (typeof key === 'number') child = Array.isArray(value) ? value[key] : undefined
    else child = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined
    return new Field(child, undefined, this.sink, this, key)
  }

  error(code: string, message: string): void {
    this.sink.report('error', code, message, this.path)
  }

  warn(code: string, message: string): void {
    this.sink.report('warning', code, message, this.path)
  }
}

/** Collects findings for one resource, locating each one through the resource's source map. */
export function resourceSink(resource: RawResource, into: Diagnostic[]): FindingSink {
  const ref = { kind: displayKind(resource.kind), namespace: resource.namespace, name: resource.name }
  return {
    report(severity, code, message, path) {
      into.push({ severity, code, message, ...resource.locate(path), resource: ref, path })
    },
  }
}
