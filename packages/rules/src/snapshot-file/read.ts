import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { MeshError } from '@meshlet/core'
import { MeshConfigError } from '../diagnostics/config-error.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { compileSteps, compileValidated } from '../compile/index.js'
import { runStepsInSlices } from '../internal/steps.js'
import { deepFreeze } from '../compile/freeze.js'
import type { CompileOptions } from '../compile/options.js'
import type { MeshSnapshot } from '../compile/snapshot.js'
import type { IstioKind, RawResource, SourcePosition } from '../source/resource.js'
import { ISTIO_KINDS } from '../source/resource.js'
import { corruptSnapshot, foreignSnapshot, staleSnapshot } from './errors.js'
import type { SnapshotFile, SnapshotResource, SnapshotSource } from './format.js'
import { RULES_COMPILER_VERSION, SNAPSHOT_FILE_FORMAT, SNAPSHOT_FILE_VERSION } from './format.js'
import { sourceDigest } from './digest.js'

export interface SnapshotLoadOptions extends CompileOptions {
  /** Analysis findings kept in the file become errors (as `meshlet validate --strict`). */
  readonly strict?: boolean
  /** Give the event loop back every `sliceMs` while compiling (a reload in a serving process). */
  readonly sliceMs?: number
}

/**
 * Loads a precompiled snapshot (`meshlet compile -o file`) and compiles it for this workload,
 * without parsing YAML or validating: the file holds only resources that passed both. A file that
 * cannot be read throws MESHLET_ERR_CONFIG_READ; one that is not JSON or is damaged,
 * MESHLET_ERR_SNAPSHOT_CORRUPT; JSON of another kind, MESHLET_ERR_SNAPSHOT_FOREIGN; one written by
 * another meshlet version or whose rule files have changed since (when they are beside it),
 * MESHLET_ERR_SNAPSHOT_STALE. Each message names the file and what is wrong.
 */
export async function loadSnapshotFile(file: string, options: SnapshotLoadOptions = {}): Promise<MeshSnapshot> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new MeshError('MESHLET_ERR_CONFIG_READ', `${file}: cannot read the precompiled snapshot: ${(error as Error).message}`, { cause: error })
  }
  const parsed = parseSnapshotText(text, file)
  await checkSources(parsed.sources, file)
  const diagnostics = parsed.diagnostics
  if (options.strict) {
    const findings = diagnostics.filter((d) => d.analysis === true && d.severity === 'warning').map((d) => ({ ...d, severity: 'error' as const }))
    if (findings.length > 0) throw new MeshConfigError(findings, 'MESHLET_ERR_CONFIG_INVALID')
  }
  const resources = parsed.resources.map(toRawResource)
  if (options.sliceMs === undefined) return compileValidated(resources, options, diagnostics)
  return runStepsInSlices(compileSteps(resources, options, diagnostics), options.sliceMs)
}

/** Checks the file's identity, version and shape; throws the coded error that says what is wrong. */
export function parseSnapshotText(text: string, file: string): SnapshotFile {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw corruptSnapshot(file, text.trim() === '' ? 'the file is empty' : `not JSON (${(error as Error).message})`)
  }
  if (!isRecord(value)) throw foreignSnapshot(file, `it holds ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not an object`)
  if (value.format !== SNAPSHOT_FILE_FORMAT) {
    const kind = typeof value.kind === 'string' ? `a ${value.kind}` : 'an object'
    throw foreignSnapshot(file, value.format === undefined ? `${kind} with no "format": "${SNAPSHOT_FILE_FORMAT}"` : `format ${JSON.stringify(value.format)}`)
  }
  if (value.version !== SNAPSHOT_FILE_VERSION) {
    throw staleSnapshot(file, `file format version ${JSON.stringify(value.version)}, and this meshlet reads version ${SNAPSHOT_FILE_VERSION}`)
  }
  const compiler = compilerName()
  if (value.compiler !== compiler) throw staleSnapshot(file, `written by ${JSON.stringify(value.compiler)}, and this is ${compiler}`)
  const problems: string[] = []
  const resources = arrayAt(value, 'resources', problems)
  resources.forEach((resource, index) => checkResource(resource, `resources[${index}]`, problems))
  const sources = arrayAt(value, 'sources', problems)
  sources.forEach((source, index) => {
    if (!isRecord(source) || typeof source.file !== 'string' || typeof source.digest !== 'string') problems.push(`sources[${index}] must be { file, digest }`)
  })
  const diagnostics = arrayAt(value, 'diagnostics', problems)
  diagnostics.forEach((d, index) => {
    if (!isRecord(d) || typeof d.message !== 'string' || typeof d.file !== 'string' || typeof d.line !== 'number' || !Array.isArray(d.path)) problems.push(`diagnostics[${index}] is not a finding`)
  })
  if (problems.length > 0) throw corruptSnapshot(file, problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''))
  return value as unknown as SnapshotFile
}

/** The name a file records as its writer. */
export function compilerName(): string {
  return `@meshlet/rules ${RULES_COMPILER_VERSION}`
}

const KINDS: ReadonlySet<string> = new Set(ISTIO_KINDS)

function checkResource(resource: unknown, where: string, problems: string[]): void {
  if (!isRecord(resource)) {
    problems.push(`${where} is not an object`)
    return
  }
  if (!KINDS.has(resource.kind as string)) problems.push(`${where}.kind ${JSON.stringify(resource.kind)} is not one of ${ISTIO_KINDS.join(', ')}`)
  for (const key of ['apiVersion', 'name', 'namespace', 'file'] as const) {
    if (typeof resource[key] !== 'string') problems.push(`${where}.${key} must be a string`)
  }
  for (const key of ['line', 'column'] as const) {
    if (!Number.isInteger(resource[key])) problems.push(`${where}.${key} must be an integer`)
  }
  for (const key of ['annotations', 'labels', 'object'] as const) {
    if (!isRecord(resource[key])) problems.push(`${where}.${key} must be an object`)
  }
}

function arrayAt(value: Record<string, unknown>, key: string, problems: string[]): unknown[] {
  const list = value[key]
  if (Array.isArray(list)) return list
  problems.push(`"${key}" must be an array`)
  return []
}

/** Rule files still beside the snapshot must be the ones it was compiled from; absent ones are not checked. */
async function checkSources(sources: readonly SnapshotSource[], file: string): Promise<void> {
  const base = dirname(file)
  for (const source of sources) {
    let text: Buffer
    try {
      text = await readFile(resolve(base, source.file))
    } catch {
      continue // deployed without its rule files: nothing to compare with
    }
    if (sourceDigest(text) !== source.digest) throw staleSnapshot(file, `${source.file} has changed since it was compiled`)
  }
}

function toRawResource(resource: SnapshotResource, loadIndex: number): RawResource {
  const position: SourcePosition = Object.freeze({ file: resource.file, line: resource.line, column: resource.column })
  const object = deepFreeze(resource.object)
  return {
    kind: resource.kind as IstioKind,
    apiVersion: resource.apiVersion,
    name: resource.name,
    namespace: resource.namespace,
    annotations: Object.freeze(resource.annotations),
    labels: Object.freeze(resource.labels),
    creationTimestamp: resource.creationTimestamp,
    object,
    spec: object.spec,
    file: resource.file,
    loadIndex,
    // Field positions are not kept: every path points at the resource, as for objects given in code.
    locate: () => position,
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

