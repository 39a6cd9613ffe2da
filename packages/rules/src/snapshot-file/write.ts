import { readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from '../source/resource.js'
import { sourceDigest } from './digest.js'
import type { SnapshotFile, SnapshotResource, SnapshotSource } from './format.js'
import { SNAPSHOT_FILE_FORMAT, SNAPSHOT_FILE_VERSION } from './format.js'
import { compilerName } from './read.js'

export interface SnapshotContent {
  /** Resources that passed validation (and analysis, when strict). */
  readonly resources: readonly RawResource[]
  /** Warnings and notes to keep; errors are refused. */
  readonly diagnostics: readonly Diagnostic[]
  /** Rule files they were read from. */
  readonly files: readonly string[]
}

/**
 * Writes the precompiled snapshot `createMesh({ snapshot })` loads: atomically (a temporary file
 * renamed over the target), so a mesh watching it never reads half a file.
 */
export async function writeSnapshotFile(content: SnapshotContent, outputFile: string): Promise<void> {
  if (content.diagnostics.some((d) => d.severity === 'error')) throw new TypeError('writeSnapshotFile: the rules have errors; only valid rules are written')
  const text = JSON.stringify(await snapshotFileOf(content, outputFile))
  const temporary = `${outputFile}.${process.pid}.tmp`
  await writeFile(temporary, `${text}\n`)
  await rename(temporary, outputFile)
}

export async function snapshotFileOf(content: SnapshotContent, outputFile: string): Promise<SnapshotFile> {
  const base = dirname(resolve(outputFile))
  const sources: SnapshotSource[] = []
  for (const file of content.files) sources.push({ file: relative(base, resolve(file)), digest: sourceDigest(await readFile(file)) })
  return {
    format: SNAPSHOT_FILE_FORMAT,
    version: SNAPSHOT_FILE_VERSION,
    compiler: compilerName(),
    sources,
    resources: content.resources.map(toSnapshotResource),
    diagnostics: content.diagnostics,
  }
}

function toSnapshotResource(resource: RawResource): SnapshotResource {
  const position = resource.locate([])
  return {
    kind: resource.kind,
    apiVersion: resource.apiVersion,
    name: resource.name,
    namespace: resource.namespace,
    annotations: resource.annotations,
    labels: resource.labels,
    ...(resource.creationTimestamp === undefined ? {} : { creationTimestamp: resource.creationTimestamp }),
    file: position.file,
    line: position.line,
    column: position.column,
    object: resource.object,
  }
}
