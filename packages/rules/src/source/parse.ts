import { LineCounter, parseAllDocuments, isCollection, isScalar, isPair, isMap, isSeq } from 'yaml'
import type { Document, Node as YamlNode } from 'yaml'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { FieldPath } from '../diagnostics/path.js'
import type { RawResource, SourcePosition, IstioKind } from './resource.js'
import { ISTIO_API_VERSIONS, ISTIO_KINDS } from './resource.js'

export interface ParseOptions {
  /** Namespace for objects with no metadata.namespace (kubectl's current namespace). */
  readonly defaultNamespace: string
  /** Added to each resource's loadIndex so several sources keep one global order. */
  readonly firstLoadIndex?: number
}

export interface ParseResult {
  readonly resources: RawResource[]
  readonly diagnostics: Diagnostic[]
}

const jsonRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads YAML or JSON text: many documents, Kubernetes `List`s, comments; keeps source positions. */
export function parseText(text: string, file: string, options: ParseOptions): ParseResult {
  const lineCounter = new LineCounter()
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, column: col }
  }
  const docs = Array.isArray(documents) ? documents : [documents]
  let nextIndex = options.firstLoadIndex ?? 0
  for (const doc of docs as Document.Parsed[]) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const at = position(error.pos[0])
        diagnostics.push({
          severity: 'error',
          code: 'YAML_SYNTAX',
          message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
          ...at,
          path: [],
        })
      }
      continue
    }
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (error) {
      // An unresolved alias (often an unquoted `*.example.com`) or an alias bomb: a syntax problem, not a crash.
      const message = (error as Error).message
      const hint = /alias/i.test(message) ? ' (a value starting with `*` must be quoted, e.g. "*.example.com")' : ''
      diagnostics.push({ severity: 'error', code: 'YAML_SYNTAX', message: `${message}${hint}`, ...position(doc.range[0]), path: [] })
      continue
    }
    if (value === null || value === undefined) continue // empty document, e.g. a trailing `---`
    const locateIn = (base: FieldPath) => (path: FieldPath): SourcePosition => locate(doc, [...base, ...path], position)
    if (!jsonRecord(value)) {
      diagnostics.push({ severity: 'error', code: 'NOT_AN_OBJECT', message: 'a document must be a Kubernetes object (a map with apiVersion and kind)', ...locateIn([])([]), path: [] })
      continue
    }
    const objects: Array<{ object: Record<string, unknown>; base: FieldPath }> = []
    if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
      const items = Array.isArray(value.items) ? value.items : []
      items.forEach((item, index) => {
        if (jsonRecord(item)) objects.push({ object: item, base: ['items', index] })
        else diagnostics.push({ severity: 'error', code: 'NOT_AN_OBJECT', message: 'a List item must be a Kubernetes object', ...locateIn(['items', index])([]), path: ['items', index] })
      })
    } else {
      objects.push({ object: value, base: [] })
    }
    for (const { object, base } of objects) {
      const locateObject = locateIn(base)
      const resource = toResource(object, file, nextIndex, locateObject, options, diagnostics)
      if (resource) {
        resources.push(resource)
        nextIndex += 1
      }
    }
  }
  return { resources, diagnostics }
}

/** Plain objects given in code (the `resources` option): no positions, so every path points at 1:1. */
export function parseObjects(objects: readonly unknown[], file: string, options: ParseOptions): ParseResult {
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  let nextIndex = options.firstLoadIndex ?? 0
  objects.forEach((object, index) => {
    const locateObject = (): SourcePosition => ({ file: `${file}[${index}]`, line: 1, column: 1 })
    if (!jsonRecord(object)) {
      diagnostics.push({ severity: 'error', code: 'NOT_AN_OBJECT', message: 'a resource must be a Kubernetes object (a map with apiVersion and kind)', ...locateObject(), path: [] })
      return
    }
    const resource = toResource(structuredClone(object), `${file}[${index}]`, nextIndex, locateObject, options, diagnostics)
    if (resource) {
      resources.push(resource)
      nextIndex += 1
    }
  })
  return { resources, diagnostics }
}

/** An object read from a live source, named by where it lives (a Kubernetes API path, an etcd key). */
export interface SourcedObject {
  readonly origin: string
  readonly object: unknown
}

/**
 * Objects from a live source (the Kubernetes API): each is located by its origin alone, with no
 * line or column (line 0), so diagnostics name the origin, the resource and the field path.
 */
export function parseSourcedObjects(items: readonly SourcedObject[], options: ParseOptions): ParseResult {
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  let nextIndex = options.firstLoadIndex ?? 0
  for (const { origin, object } of items) {
    const position: SourcePosition = Object.freeze({ file: origin, line: 0, column: 0 })
    const locateObject = (): SourcePosition => position
    if (!jsonRecord(object)) {
      diagnostics.push({ severity: 'error', code: 'NOT_AN_OBJECT', message: 'a resource must be a Kubernetes object (a map with apiVersion and kind)', ...position, path: [] })
      continue
    }
    const resource = toResource(structuredClone(object), origin, nextIndex, locateObject, options, diagnostics)
    if (resource) {
      resources.push(resource)
      nextIndex += 1
    }
  }
  return { resources, diagnostics }
}

function toResource(
  object: Record<string, unknown>,
  file: string,
  loadIndex: number,
  locate: (path: FieldPath) => SourcePosition,
  options: ParseOptions,
  diagnostics: Diagnostic[],
): RawResource | undefined {
  const { kind, apiVersion } = object
  const note = (severity: Diagnostic['severity'], code: string, message: string, path: FieldPath) =>
    diagnostics.push({ severity, code, message, ...locate(path), path })
  if (typeof kind !== 'string' || kind === '') {
    note('error', 'MISSING_KIND', 'kind is required', ['kind'])
    return undefined
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    note('error', 'MISSING_API_VERSION', 'apiVersion is required', ['apiVersion'])
    return undefined
  }
  if (!(ISTIO_KINDS as readonly string[]).includes(kind) || !apiVersion.startsWith('networking.istio.io/')) {
    note('info', 'KIND_SKIPPED', `skipped ${apiVersion} ${kind}: meshlet reads ${ISTIO_KINDS.join(', ')} of networking.istio.io`, ['kind'])
    return undefined
  }
  if (!(ISTIO_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    note('error', 'UNKNOWN_API_VERSION', `apiVersion ${apiVersion} is not served for ${kind}; use one of ${ISTIO_API_VERSIONS.join(', ')}`, ['apiVersion'])
    return undefined
  }
  const metadata = jsonRecord(object.metadata) ? object.metadata : {}
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : options.defaultNamespace
  const resourceRef = { kind, namespace, name: name === '' ? '<unnamed>' : name }
  if (name === '') {
    diagnostics.push({ severity: 'error', code: 'MISSING_NAME', message: 'metadata.name is required', ...locate(['metadata']), path: ['metadata', 'name'], resource: resourceRef })
  }
  freezeRaw(object)
  return {
    kind: kind as IstioKind,
    apiVersion,
    name: resourceRef.name,
    namespace,
    annotations: stringMap(metadata.annotations),
    labels: stringMap(metadata.labels),
    creationTimestamp: typeof metadata.creationTimestamp === 'string' ? metadata.creationTimestamp : undefined,
    object,
    spec: object.spec,
    file,
    loadIndex,
    locate,
  }
}

function stringMap(value: unknown): Record<string, string> {
  if (!jsonRecord(value)) return {}
  const out: Record<string, string> = {}
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry
  return out
}

/** Finds the node at `path` (or its nearest ancestor) and returns where its value starts. */
function locate(doc: Document.Parsed, path: FieldPath, position: (offset: number) => SourcePosition): SourcePosition {
  let node: YamlNode | null | undefined = doc.contents
  let best = node?.range?.[0] ?? 0
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) break
      const next = pair.value as YamlNode | null
      if (next && next.range) {
        node = next
        best = next.range[0]
      } else {
        // `key:` with no value: point at the key
        const key = pair.key as YamlNode
        if (key.range) best = key.range[0]
        break
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined
      if (!item || !item.range) break
      node = item
      best = item.range[0]
    } else {
      break
    }
    if (!isCollection(node) && !isScalar(node)) break
  }
  return position(best)
}

/**
 * Raw objects are never changed after parsing; freezing them here, once, lets every later compile
 * (each reload) skip them when it freezes its snapshot.
 */
function freezeRaw(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const key in value) freezeRaw((value as Record<string, unknown>)[key])
}
