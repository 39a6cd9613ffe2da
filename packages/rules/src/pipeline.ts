import type { Diagnostic } from './diagnostics/diagnostic.js'
import { MeshConfigError } from './diagnostics/config-error.js'
import { sortDiagnostics } from './diagnostics/diagnostic.js'
import type { RawResource } from './source/resource.js'
import type { LoadInput } from './source/load.js'
import { loadResources } from './source/load.js'
import { validateResources, validationSteps } from './validate/index.js'
import { analysisSteps, analyzeResources } from './analyze/index.js'
import type { CompileOptions } from './compile/options.js'
import { compileSteps, compileValidated } from './compile/index.js'
import { runStepsInSlices } from './internal/steps.js'
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
  /**
   * Give the event loop back every `sliceMs` milliseconds while validating and compiling (async
   * entry points only). A mesh reloading its rules while it serves calls uses it, so calls in
   * flight are not held up behind a long compile.
   */
  readonly sliceMs?: number
}

/** Parse → validate → analyze → compile. Never throws for bad input; see `compileMeshConfig`. */
export function compileResources(resources: readonly RawResource[], options: PipelineOptions = {}, earlier: readonly Diagnostic[] = [], files: readonly string[] = []): CompileResult {
  const diagnostics = findingsOf(resources, options, earlier)
  if (diagnostics.some((d) => d.severity === 'error')) return { snapshot: undefined, diagnostics, files }
  return { snapshot: compileValidated(resources, options, diagnostics), diagnostics, files }
}

function findingsOf(resources: readonly RawResource[], options: PipelineOptions, earlier: readonly Diagnostic[]): Diagnostic[] {
  return sortDiagnostics(concat(earlier, validateResources(resources), analysisOf(resources, options)))
}

function analysisOf(resources: readonly RawResource[], options: PipelineOptions): Diagnostic[] {
  return analyzeResources(resources, options).map((d) => (options.strict && d.severity === 'warning' ? { ...d, severity: 'error' as const } : d))
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
  if (input.sliceMs === undefined) return compileResources(loaded.resources, input, loaded.diagnostics, loaded.files)
  return compileResourcesInSlices(loaded.resources, input, loaded.diagnostics, loaded.files, input.sliceMs)
}

/** compileResources, giving the event loop back every `sliceMs` (validation and compile run in slices). */
async function compileResourcesInSlices(resources: readonly RawResource[], options: PipelineOptions, earlier: readonly Diagnostic[], files: readonly string[], sliceMs: number): Promise<CompileResult> {
  const validation = await runStepsInSlices(validationSteps(resources), sliceMs)
  const analysis = (await runStepsInSlices(analysisSteps(resources, options), sliceMs)).map((d) => (options.strict && d.severity === 'warning' ? { ...d, severity: 'error' as const } : d))
  const diagnostics = sortDiagnostics(concat(earlier, validation, analysis))
  if (diagnostics.some((d) => d.severity === 'error')) return { snapshot: undefined, diagnostics, files }
  return { snapshot: await runStepsInSlices(compileSteps(resources, options, diagnostics), sliceMs), diagnostics, files }
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
