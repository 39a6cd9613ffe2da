import type { Diagnostic } from './diagnostics/diagnostic.js'
import { MeshConfigError } from './diagnostics/config-error.js'
import { sortDiagnostics } from './diagnostics/diagnostic.js'
import type { RawResource } from './source/resource.js'
import type { LoadInput } from './source/load.js'
import { loadResources } from './source/load.js'
import { validateResources } from './validate/index.js'
import { analyzeResources } from './analyze/index.js'
import type { CompileOptions } from './compile/options.js'
import { compileValidated } from './compile/index.js'
import type { MeshSnapshot } from './compile/snapshot.js'

export interface CompileResult {
  /** Present when nothing Istio would reject was found (and, under `strict`, no analysis finding). */
  readonly snapshot: MeshSnapshot | undefined
  /** Every finding, sorted by file and position: errors, warnings and notes. */
  readonly diagnostics: readonly Diagnostic[]
  /** Files that were read (to watch them). */
  readonly files: readonly string[]
}

export interface PipelineOptions extends CompileOptions {
  /** Treat cross-resource analysis findings as errors (`meshlet validate --strict`). */
  readonly strict?: boolean
}

/** Parse → validate → analyze → compile. Never throws for bad input; see `compileMeshConfig`. */
export function compileResources(resources: readonly RawResource[], options: PipelineOptions = {}, earlier: readonly Diagnostic[] = [], files: readonly string[] = []): CompileResult {
  const diagnostics = findingsOf(resources, options, earlier)
  if (diagnostics.some((d) => d.severity === 'error')) return { snapshot: undefined, diagnostics, files }
  return { snapshot: compileValidated(resources, options, diagnostics), diagnostics, files }
}

function findingsOf(resources: readonly RawResource[], options: PipelineOptions, earlier: readonly Diagnostic[]): Diagnostic[] {
  const validation = validateResources(resources)
  const analysis = analyzeResources(resources, options).map((d) =>
    options.strict && d.severity === 'warning' ? { ...d, severity: 'error' as const } : d,
  )
  return sortDiagnostics(concat(earlier, validation, analysis))
}

/** Joins lists without spreading them into arguments (a spread of 100,000+ items overflows the stack). */
function concat<T>(...lists: ReadonlyArray<readonly T[]>): T[] {
  const out: T[] = []
  for (const list of lists) for (let i = 0; i < list.length; i++) out.push(list[i]!)
  return out
}

/**
 * Every finding of loadMeshConfig, without building the snapshot: what `meshlet validate` needs,
 * in less time and memory. The snapshot adds no finding, so the diagnostics are the same.
 */
export async function checkMeshConfig(input: LoadInput & PipelineOptions): Promise<Omit<CompileResult, 'snapshot'>> {
  const loaded = await loadResources(input)
  return { diagnostics: findingsOf(loaded.resources, input, loaded.diagnostics), files: loaded.files }
}

/** Reads files, YAML text and objects, then compiles them. Never throws for bad input. */
export async function loadMeshConfig(input: LoadInput & PipelineOptions): Promise<CompileResult> {
  const loaded = await loadResources(input)
  return compileResources(loaded.resources, input, loaded.diagnostics, loaded.files)
}

/** Like loadMeshConfig, but throws a MeshConfigError listing every problem. */
export async function compileMeshConfig(input: LoadInput & PipelineOptions): Promise<MeshSnapshot> {
  return snapshotOrThrow(await loadMeshConfig(input))
}

/** The snapshot of a compile result, or a MeshConfigError listing every problem (a parse error when only parsing failed). */
export function snapshotOrThrow(result: CompileResult): MeshSnapshot {
  if (!result.snapshot) {
    const parseOnly = result.diagnostics.every((d) => d.severity !== 'error' || d.resource === undefined)
    throw new MeshConfigError(result.diagnostics, parseOnly ? 'MESHLET_ERR_CONFIG_PARSE' : 'MESHLET_ERR_CONFIG_INVALID')
  }
  return result.snapshot
}
