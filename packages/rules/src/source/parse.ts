import { loadYaml } from './load-yaml.js'
import type { LineCounter } from 'yaml'
import type { Document, Node as YamlNode } from 'yaml'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { FieldPath } from '../diagnostics/path.js'
import type { RawResource, SourcePosition } from './resource.js'
import { readKind } from './kinds.js'
import { displayKind } from './resource.js'
import { KUBERNETES_YAML_OPTIONS, mayHaveFlowColons, readFlowColonsAsKubernetes } from './kubernetes-scalars.js'
import { documentValues, fastParseDocuments, fastParseSteps } from './fast-yaml.js'
import type { DocumentValues, FastDocument } from './fast-yaml.js'
import { runStepsInSlices } from '../internal/steps.js'

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

/**
 * Reads YAML or JSON text: many documents, Kubernetes `List`s, comments; keeps source positions.
 * Plain scalars read as Kubernetes reads them (see kubernetes-scalars.ts).
 */
export function parseText(text: string, file: string, options: ParseOptions): ParseResult {
  return parseTextWith(fastParseDocuments(text), text, file, options)
}

/**
 * parseText for a mesh that reloads its files while it serves: gives the event loop back every
 * `sliceMs` while the fast reader reads documents, and reads again only the documents that changed
 * since the file was last read this way.
 */
export async function parseTextInSlices(text: string, file: string, options: ParseOptions, sliceMs: number): Promise<ParseResult> {
  return parseTextWith(remember(file, text, await runStepsInSlices(fastParseSteps(text, lastRead.get(file)), sliceMs)), text, file, options)
}

/**
 * The documents each file held when last read by parseTextInSlices, so a reload reads again only
 * the documents that changed. Bounded: a process reading ever new files forgets the oldest.
 */
const lastRead = new Map<string, DocumentValues>()
const LAST_READ_FILES = 1_000

function remember(file: string, text: string, documents: FastDocument[] | undefined): FastDocument[] | undefined {
  lastRead.delete(file)
  if (documents === undefined) return undefined
  if (lastRead.size >= LAST_READ_FILES) lastRead.delete(lastRead.keys().next().value!)
  lastRead.set(file, documentValues(text, documents))
  return documents
}

function parseTextWith(fast: FastDocument[] | undefined, text: string, file: string, options: ParseOptions): ParseResult {
  // Most rule files are plain Kubernetes-style YAML: read them without building syntax trees; the
  // yaml library reads everything else, and reports every syntax error (fast-yaml.ts).
  const reader = new DocumentReader(text, file, options)
  if (fast !== undefined) {
    reader.position = lineStartsOf(text, file)
    for (const doc of fast) reader.add(doc.value, doc.start, doc.end, doc.contentStart)
    return reader.result()
  }
  const { Composer, LineCounter, Parser } = loadYaml()
  const lineCounter = new LineCounter()
  // Documents are composed one at a time and each syntax tree is dropped once its resource is
  // read, so a large file never holds every tree at once (parseAllDocuments would).
  const documents = new Composer({ uniqueKeys: true, ...KUBERNETES_YAML_OPTIONS }).compose(new Parser(lineCounter.addNewLine).parse(text))
  const position = positionIn(lineCounter, file)
  reader.position = position
  const { diagnostics } = reader
  for (const doc of documents as Iterable<Document.Parsed>) {
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
      if (reader.flowColons) readFlowColonsAsKubernetes(doc, text)
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (error) {
      // An unresolved alias (often an unquoted `*.example.com`) or an alias bomb: a syntax problem, not a crash.
      const message = (error as Error).message
      const hint = /alias/i.test(message) ? ' (a value starting with `*` must be quoted, e.g. "*.example.com")' : ''
      diagnostics.push({ severity: 'error', code: 'YAML_SYNTAX', message: `${message}${hint}`, ...position(doc.range[0]), path: [] })
      continue
    }
    reader.add(value, doc.range[0], doc.range[2], (doc.contents as YamlNode | null)?.range?.[0] ?? doc.range[0])
  }
  return reader.result()
}

/** Line and column of an offset, from the offsets where lines start (what the fast reader's documents need, without the yaml library). */
function lineStartsOf(text: string, file: string): (offset: number) => SourcePosition {
  let starts: number[] | undefined
  return (offset) => {
    if (starts === undefined) {
      starts = [0]
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1)
    }
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { file, line: low + 1, column: offset - starts[low]! + 1 }
  }
}

function positionIn(lineCounter: LineCounter, file: string): (offset: number) => SourcePosition {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, column: col }
  }
}

/** Turns each document's value into resources, whichever reader produced it. */
class DocumentReader {
  readonly resources: RawResource[] = []
  readonly diagnostics: Diagnostic[] = []
  readonly flowColons: boolean
  position: (offset: number) => SourcePosition = () => ({ file: this.file, line: 1, column: 1 })
  private nextIndex: number
  private sawContent = false

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly options: ParseOptions,
  ) {
    this.nextIndex = options.firstLoadIndex ?? 0
    this.flowColons = mayHaveFlowColons(text)
  }

  /** One document: its value and where it is in the text (start, end, where its value starts). */
  add(value: unknown, start: number, end: number, contentStart: number): void {
    const { diagnostics, file, options } = this
    if (value === null || value === undefined) return // empty document, e.g. a trailing `---`
    this.sawContent = true
    // The document's syntax tree is not kept: it weighs ~40 times the text (5 MB of YAML held
    // 210 MB). A finding's position comes from the document's text, parsed again on demand.
    const source = new DocumentSource(this.text, start, end, contentStart, this.flowColons, this.position)
    const locateIn = (base: FieldPath) => (path: FieldPath): SourcePosition => source.locate(base.length === 0 ? path : [...base, ...path])
    if (!jsonRecord(value) || (value.apiVersion === undefined && value.kind === undefined)) {
      // Not a Kubernetes object at all (a route-test cases file, a Helm values file): skipped
      // like a kind meshlet does not read. loadResources makes it an error when nothing else
      // in the input is a resource, since the user then most likely named the wrong file.
      diagnostics.push({ severity: 'info', code: 'NOT_A_KUBERNETES_OBJECT', message: NOT_A_KUBERNETES_OBJECT, ...locateIn([])([]), path: [] })
      return
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
      const resource = toResource(object, file, this.nextIndex, locateIn(base), options, diagnostics)
      if (resource) {
        this.resources.push(resource)
        this.nextIndex += 1
      }
    }
  }

  result(): ParseResult {
    if (!this.sawContent && this.diagnostics.length === 0) {
      this.diagnostics.push({ severity: 'info', code: 'EMPTY_FILE', message: 'holds no resources: the file is empty or only has comments', file: this.file, line: 1, column: 1, path: [] })
    }
    return { resources: this.resources, diagnostics: this.diagnostics }
  }
}

/** The note for a document that is not a Kubernetes object (an error when it is all the input holds). */
export const NOT_A_KUBERNETES_OBJECT = 'skipped: not a Kubernetes object (a map with apiVersion and kind), so it holds no rules'

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
    const resource = toResource(copyPlain(object) as Record<string, unknown>, `${file}[${index}]`, nextIndex, locateObject, options, diagnostics)
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
    const resource = toResource(copyPlain(object) as Record<string, unknown>, origin, nextIndex, locateObject, options, diagnostics)
    if (resource) {
      resources.push(resource)
      nextIndex += 1
    }
  }
  return { resources, diagnostics }
}

/**
 * A copy of data given in code, so that later changes by the caller do not reach the compiled
 * rules. Plain objects and arrays are copied directly (structuredClone cost about a third of
 * createMesh for 3,000 resources); anything else (a Date, a Map) goes through structuredClone.
 */
function copyPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  // Copies are frozen as they are made (one walk instead of a copy and a freeze; see freezeRaw).
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) out[i] = copyPlain(value[i])
    return Object.freeze(out)
  }
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = copyPlain((value as Record<string, unknown>)[key])
  return Object.freeze(out)
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
  const read = readKind(kind, apiVersion)
  if (read.skipped !== undefined) {
    note('info', 'KIND_SKIPPED', read.skipped, ['kind'])
    return undefined
  }
  if (read.problem !== undefined) {
    note('error', 'UNKNOWN_API_VERSION', read.problem, ['apiVersion'])
    return undefined
  }
  const metadata = jsonRecord(object.metadata) ? object.metadata : {}
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : options.defaultNamespace
  const resourceRef = { kind: displayKind(read.kind), namespace, name: name === '' ? '<unnamed>' : name }
  if (name === '') {
    diagnostics.push({ severity: 'error', code: 'MISSING_NAME', message: 'metadata.name is required', ...locate(['metadata']), path: ['metadata', 'name'], resource: resourceRef })
  }
  freezeRaw(object)
  return {
    kind: read.kind,
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

/**
 * One document's place in its file, able to locate a field path. The document is parsed again from
 * its text when a position is asked for (findings are few next to fields), and the last one parsed
 * is kept so the findings of one resource, which come together, parse it once.
 */
class DocumentSource {
  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    /** Where the document's value starts: the position of the whole resource, asked for each one. */
    private readonly contentStart: number,
    private readonly flowColons: boolean,
    private readonly position: (offset: number) => SourcePosition,
  ) {}

  locate(path: FieldPath): SourcePosition {
    return path.length === 0 ? this.position(this.contentStart) : locate(this.document(), path, this.position)
  }

  private document(): Document.Parsed {
    if (lastParsed?.source === this) return lastParsed.doc
    // Spaces stand in for whatever precedes the document on its first line (a `---`), so columns,
    // and with them the structure of block collections, are the same as in the file.
    const lineStart = this.start === 0 ? 0 : this.text.lastIndexOf('\n', this.start - 1) + 1
    const slice = ' '.repeat(this.start - lineStart) + this.text.slice(this.start, this.end)
    const doc = loadYaml().parseDocument(slice, { prettyErrors: false, ...KUBERNETES_YAML_OPTIONS }) as Document.Parsed
    if (this.flowColons) readFlowColonsAsKubernetes(doc, slice)
    shiftRanges(doc, lineStart)
    lastParsed = { source: this, doc }
    return doc
  }
}

let lastParsed: { readonly source: DocumentSource; readonly doc: Document.Parsed } | undefined

/** Moves every node range of a document parsed from a slice to the offsets of the whole text. */
function shiftRanges(doc: Document.Parsed, by: number): void {
  if (by === 0) return
  loadYaml().visit(doc, {
    Node(_, node) {
      if (node.range) node.range = [node.range[0] + by, node.range[1] + by, node.range[2] + by]
    },
  })
}

/** Finds the node at `path` (or its nearest ancestor) and returns where its value starts. */
function locate(doc: Document.Parsed, path: FieldPath, position: (offset: number) => SourcePosition): SourcePosition {
  const { isCollection, isMap, isPair, isScalar, isSeq } = loadYaml()
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
