import { readFile, readdir, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from './resource.js'
import { parseText, parseTextInSlices, parseObjects } from './parse.js'

const RULE_FILE_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

export interface LoadInput {
  /** Files or folders; folders are read recursively for .yaml, .yml and .json, in name order. */
  readonly files?: readonly string[]
  /** YAML (or JSON) text. */
  readonly yaml?: string | readonly string[]
  /** Already parsed objects. */
  readonly resources?: readonly unknown[]
  /** Namespace for objects that name none. Default `default`. */
  readonly namespace?: string
}

export interface LoadResult {
  readonly resources: RawResource[]
  readonly diagnostics: Diagnostic[]
  /** Every file that was read (for watching). */
  readonly files: string[]
}

/** Reads every source of rules. Never throws for bad input: problems come back as diagnostics. */
export async function loadResources(input: LoadInput & { readonly sliceMs?: number }): Promise<LoadResult> {
  const defaultNamespace = input.namespace ?? 'default'
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  const files: string[] = []
  // Item by item: a spread of a 100,000-resource file into push() would overflow the stack.
  const add = (result: { resources: RawResource[]; diagnostics: Diagnostic[] }) => {
    for (const resource of result.resources) resources.push(resource)
    for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic)
  }
  for (const entry of input.files ?? []) {
    const found = await listRuleFiles(entry, diagnostics)
    for (const file of found) {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        diagnostics.push(readError(file, error))
        continue
      }
      files.push(file)
      const parseOptions = { defaultNamespace, firstLoadIndex: resources.length }
      add(input.sliceMs === undefined ? parseText(text, file, parseOptions) : await parseTextInSlices(text, file, parseOptions, input.sliceMs))
    }
  }
  const texts = input.yaml === undefined ? [] : typeof input.yaml === 'string' ? [input.yaml] : input.yaml
  texts.forEach((text, index) => {
    add(parseText(text, texts.length === 1 ? '<yaml>' : `<yaml ${index + 1}>`, { defaultNamespace, firstLoadIndex: resources.length }))
  })
  if (input.resources) add(parseObjects(input.resources, '<resources>', { defaultNamespace, firstLoadIndex: resources.length }))
  return { resources, diagnostics: notKubernetesIsAnErrorWhenAlone(resources, diagnostics), files }
}

/**
 * Documents that are not Kubernetes objects are skipped with a note (a folder of rules may hold a
 * route-test cases file); when the input holds no resource and no other kind of object, they are
 * errors: the input is not rules at all.
 */
function notKubernetesIsAnErrorWhenAlone(resources: readonly RawResource[], diagnostics: Diagnostic[]): Diagnostic[] {
  if (resources.length > 0 || diagnostics.some((d) => d.code === 'KIND_SKIPPED')) return diagnostics
  return diagnostics.map((d) =>
    d.code === 'NOT_A_KUBERNETES_OBJECT'
      ? { ...d, severity: 'error' as const, message: 'not a Kubernetes object (a map with apiVersion and kind), and the input holds no other; meshlet reads Istio resources such as VirtualService and DestinationRule' }
      : d,
  )
}

async function listRuleFiles(entry: string, diagnostics: Diagnostic[]): Promise<string[]> {
  let info
  try {
    info = await stat(entry)
  } catch (error) {
    diagnostics.push(readError(entry, error))
    return []
  }
  if (!info.isDirectory()) return [entry]
  const names = (await readdir(entry, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
  const out: string[] = []
  for (const dirent of names) {
    if (dirent.name.startsWith('.')) continue
    const path = join(entry, dirent.name)
    if (dirent.isDirectory()) for (const file of await listRuleFiles(path, diagnostics)) out.push(file)
    else if (RULE_FILE_EXTENSIONS.has(extname(dirent.name))) out.push(path)
  }
  return out
}

/** A path that cannot be read: line 0, so it is shown without a position. */
function readError(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code
  const reason =
    code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String((error as Error).message ?? error)
  return { severity: 'error', code: 'READ_FAILED', message: `cannot read: ${reason}`, file, line: 0, column: 0, path: [] }
}
