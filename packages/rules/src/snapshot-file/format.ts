import type { Diagnostic } from '../diagnostics/diagnostic.js'

/**
 * The precompiled snapshot written by `meshlet compile` and read by `createMesh({ snapshot })`:
 * resources that passed validation and analysis, in the form the compiler reads (kind, names,
 * annotations, the object itself and where it was written), with the findings kept. Loading it runs
 * the compile step only: no YAML parser, no validator, no analysis. The compile step stays at load
 * time because what it decides depends on who runs the mesh (namespace, labels for sourceLabels,
 * cluster domain), so one file serves every function that reads the same rules.
 */
export const SNAPSHOT_FILE_FORMAT = 'meshlet.io/precompiled-rules'

/** Raised whenever the file's layout changes; a file of another version is stale. */
export const SNAPSHOT_FILE_VERSION = 1

/**
 * The rules compiler that wrote a file (the @meshlet/rules version; a test keeps it equal to
 * package.json). Validation rules change between versions, so a file written by another version is
 * stale even when its layout is the same.
 */
export const RULES_COMPILER_VERSION = '0.1.0'

export interface SnapshotFile {
  readonly format: typeof SNAPSHOT_FILE_FORMAT
  readonly version: number
  readonly compiler: string
  /** Rule files it was compiled from, relative to the snapshot's folder, with a digest of each. */
  readonly sources: readonly SnapshotSource[]
  readonly resources: readonly SnapshotResource[]
  /** Warnings and notes of validation and analysis (the file is written only when there is no error). */
  readonly diagnostics: readonly Diagnostic[]
}

export interface SnapshotSource {
  readonly file: string
  /** sourceDigest of its bytes (digest.ts). */
  readonly digest: string
}

export interface SnapshotResource {
  readonly kind: string
  readonly apiVersion: string
  readonly name: string
  readonly namespace: string
  readonly annotations: Readonly<Record<string, string>>
  readonly labels: Readonly<Record<string, string>>
  readonly creationTimestamp?: string | undefined
  /** Where the resource was written: every position the compiled snapshot shows points here. */
  readonly file: string
  readonly line: number
  readonly column: number
  readonly object: Readonly<Record<string, unknown>>
}
