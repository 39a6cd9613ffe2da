import { resolveKubernetesScalar } from './kubernetes-scalars.js'
import { runSteps } from '../internal/steps.js'
import type { Steps } from '../internal/steps.js'

/**
 * A fast reader for the YAML that Kubernetes manifests are written in: block mappings and
 * sequences indented with spaces, one-line plain, quoted and flow values, comments, `---` between
 * documents. It gives the same values as the yaml library read with Kubernetes' scalar rules
 * (kubernetes-scalars.ts), at a fraction of the cost, and builds no syntax tree (positions are found
 * later, only for the values a finding is about, by parse.ts' DocumentSource).
 *
 * Anything outside that subset (anchors, aliases, tags, block scalars, multi-line plain or quoted
 * scalars, multi-line flows, complex keys, tabs, duplicate keys, directives, a YAML error) makes it
 * answer `undefined` for the whole text, and the caller reads the text with the yaml library, which
 * also reports any error with its position. A test compares both readers on every rule file of the
 * repository and on a corpus of edge cases.
 */

export interface FastDocument {
  /** Offset where the document's text starts (after its `---` line). */
  readonly start: number
  /** Offset where it ends (the next `---` line, or the end of the text). */
  readonly end: number
  /** Offset of its first value (its first key for a mapping); `end` when it holds none. */
  readonly contentStart: number
  /** The document's value; null for an empty document. */
  readonly value: unknown
}

/** Raised inside the reader when the text leaves the subset; caught by fastParseDocuments. */
class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported()
}

interface Line {
  /** Spaces before the content. */
  indent: number
  /** The content without indentation, trailing comment or trailing spaces. */
  text: string
  /** Offset of the content's first character. */
  offset: number
}

/** Every document of the text, or undefined when the text needs the full YAML reader. */
export function fastParseDocuments(text: string, previous?: DocumentValues): FastDocument[] | undefined {
  return runSteps(fastParseSteps(text, previous))
}

/**
 * The documents of a text read before, by their exact text: a reload of a file in which one
 * document changed reads only that one, and the others keep their frozen values (which lets
 * validation skip them too).
 */
export type DocumentValues = ReadonlyMap<string, FastDocument>

export function documentValues(text: string, documents: readonly FastDocument[]): DocumentValues {
  const out = new Map<string, FastDocument>()
  for (const document of documents) out.set(text.slice(document.start, document.end), document)
  return out
}

/** fastParseDocuments, yielding after each document (see internal/steps.ts). */
export function* fastParseSteps(text: string, previous?: DocumentValues): Steps<FastDocument[] | undefined> {
  const strings = new Map<string, string>()
  const documents: FastDocument[] = []
  let ranges: Array<[number, number]>
  try {
    ranges = splitDocuments(text)
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
  for (const [start, end] of ranges) {
    const known = previous?.get(text.slice(start, end))
    if (known !== undefined) {
      documents.push({ ...known, start, end, contentStart: start + (known.contentStart - known.start) })
      continue
    }
    interned = strings
    try {
      documents.push(parseDocumentLines(text, start, end))
    } catch (error) {
      if (error instanceof Unsupported) return undefined
      throw error
    } finally {
      interned = undefined
    }
    yield
  }
  return documents
}

/**
 * One copy of each key and short string value per text: a file of 100,000 resources repeats
 * `apiVersion`, `networking.istio.io/v1`, `DestinationRule`... in every document, and each would
 * otherwise be a string of its own for as long as the resources are held.
 */
let interned: Map<string, string> | undefined
const INTERN_MAX_LENGTH = 64

function intern(text: string): string {
  if (text.length > INTERN_MAX_LENGTH || interned === undefined) return text
  const known = interned.get(text)
  if (known !== undefined) return known
  interned.set(text, text)
  return text
}

/** Ranges between `---` lines (a `---` followed by content, `...` and `%` directives leave the subset). */
function splitDocuments(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  let start = 0
  let lineStart = 0
  const length = text.length
  while (lineStart <= length) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1) lineEnd = length
    const first = text.charCodeAt(lineStart)
    if (first === 45 /* - */ && text.startsWith('---', lineStart)) {
      const rest = text.slice(lineStart + 3, lineEnd).trim()
      if (lineEnd - lineStart === 3 || rest === '' || rest.startsWith('#')) {
        if (lineStart > start || ranges.length > 0) ranges.push([start, lineStart])
        start = lineEnd + 1
      } else if (/^[\s]/.test(text[lineStart + 3] ?? '')) {
        unsupported() // `--- value` on the marker line
      }
    } else if ((first === 46 /* . */ && text.startsWith('...', lineStart)) || first === 37 /* % */) {
      unsupported()
    }
    lineStart = lineEnd + 1
  }
  if (start < length || ranges.length === 0) ranges.push([Math.min(start, length), length])
  return ranges
}

function parseDocumentLines(text: string, start: number, end: number): FastDocument {
  const lines = contentLines(text, start, end)
  if (lines.length === 0) return { start, end, contentStart: end, value: null }
  const reader = new BlockReader(lines)
  const first = lines[0]!
  const value = reader.block(first.indent)
  if (reader.index < lines.length) unsupported() // a line less indented than the document's first
  return { start, end, contentStart: first.offset, value }
}

/** Non-blank, non-comment lines, each with its trailing comment removed. */
function contentLines(text: string, start: number, end: number): Line[] {
  const lines: Line[] = []
  let lineStart = start
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1 || lineEnd > end) lineEnd = end
    let indent = 0
    while (text.charCodeAt(lineStart + indent) === 32) indent += 1
    const contentStart = lineStart + indent
    const firstCode = text.charCodeAt(contentStart)
    if (firstCode === 9 /* tab */) unsupported()
    if (contentStart < lineEnd && firstCode !== 35 /* # */ && !(firstCode === 13 && contentStart + 1 === lineEnd)) {
      const content = withoutComment(text.slice(contentStart, lineEnd))
      if (content !== '') lines.push({ indent, text: content, offset: contentStart })
    }
    lineStart = lineEnd + 1
  }
  return lines
}

/** The line without a ` #` comment (outside quotes) and without trailing blanks. */
function withoutComment(line: string): string {
  let quote = 0
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i)
    if (quote !== 0) {
      if (code === quote) {
        if (quote === 39 && line.charCodeAt(i + 1) === 39) i += 1 // '' inside single quotes
        else quote = 0
      } else if (quote === 34 && code === 92 /* \ */) i += 1
    } else if (code === 34 || code === 39) {
      // A quote opens a quoted scalar only where a scalar starts; inside a plain scalar it is text.
      const before = i === 0 ? 32 : line.charCodeAt(i - 1)
      if (before === 32 || before === 91 || before === 123 || before === 44 || before === 58 || before === 45) quote = code
    } else if (code === 35 /* # */ && (i === 0 || line.charCodeAt(i - 1) === 32 || line.charCodeAt(i - 1) === 9)) {
      return line.slice(0, i).trimEnd()
    }
  }
  if (quote !== 0) unsupported() // a quoted scalar that goes on to the next line
  return line.trimEnd()
}

class BlockReader {
  index = 0
  constructor(private readonly lines: Line[]) {}

  /** The block collection (or single value) whose lines start at this indentation. */
  block(indent: number): unknown {
    const line = this.lines[this.index]!
    if (isSequenceItem(line.text)) return this.sequence(indent)
    if (findMappingColon(line.text) >= 0) return this.mapping(indent)
    // A lone value on its own line (a document that is one scalar or flow collection).
    this.index += 1
    const value = inlineValue(line.text)
    this.noDeeperLine(indent)
    return value
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!
      if (line.indent < indent) break
      if (line.indent > indent || isSequenceItem(line.text)) unsupported()
      const colon = findMappingColon(line.text)
      if (colon < 0) unsupported()
      const key = mappingKey(line.text.slice(0, colon))
      if (Object.prototype.hasOwnProperty.call(out, key)) unsupported() // the yaml reader reports duplicates
      const rest = line.text.slice(colon + 1).trimStart()
      this.index += 1
      out[key] = rest === '' ? this.nested(indent, true) : this.inline(rest, indent)
    }
    // Rule objects are never changed after reading: frozen as built, parse.ts need not walk them again.
    return Object.freeze(out)
  }

  private sequence(indent: number): readonly unknown[] {
    const out: unknown[] = []
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!
      // A key at this indentation ends a sequence written at the same level as its parent's key.
      if (line.indent < indent || (line.indent === indent && !isSequenceItem(line.text))) break
      if (line.indent > indent) unsupported()
      let skip = 1
      while (line.text.charCodeAt(skip) === 32) skip += 1
      const rest = line.text.slice(skip)
      if (rest === '') {
        this.index += 1
        out.push(this.nested(indent, false))
      } else if (isSequenceItem(rest)) {
        unsupported() // `- - a`
      } else if (findMappingColon(rest) >= 0) {
        // `- key: value` opens a mapping whose keys line up with `key`.
        const itemIndent = indent + skip
        this.lines[this.index] = { indent: itemIndent, text: rest, offset: line.offset + skip }
        out.push(this.mapping(itemIndent))
      } else {
        this.index += 1
        out.push(this.inline(rest, indent))
      }
    }
    return Object.freeze(out)
  }

  /** The value of `key:` or `-` with nothing after it: a deeper block, a same-level sequence (mapping values only), or null. */
  private nested(indent: number, inMapping: boolean): unknown {
    const next = this.lines[this.index]
    if (next === undefined) return null
    if (next.indent > indent) return this.block(next.indent)
    if (inMapping && next.indent === indent && isSequenceItem(next.text)) return this.sequence(indent)
    return null
  }

  private inline(text: string, indent: number): unknown {
    const value = inlineValue(text)
    this.noDeeperLine(indent)
    return value
  }

  /** A more indented line after a one-line value would continue it (a multi-line scalar). */
  private noDeeperLine(indent: number): void {
    const next = this.lines[this.index]
    if (next !== undefined && next.indent > indent) unsupported()
  }
}

function isSequenceItem(text: string): boolean {
  return text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32)
}

/** Offset of the `:` that ends a block mapping key on this line, or -1. */
function findMappingColon(text: string): number {
  const first = text.charCodeAt(0)
  if (first === 34 || first === 39) {
    const close = closingQuote(text, 0)
    if (close < 0) unsupported()
    const colon = close + 1
    return text.charCodeAt(colon) === 58 && (colon + 1 === text.length || text.charCodeAt(colon + 1) === 32) ? colon : -1
  }
  if (first === 91 || first === 123) return -1 // a flow collection
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 58 && (i + 1 === text.length || text.charCodeAt(i + 1) === 32)) return i
  }
  return -1
}

function mappingKey(raw: string): string {
  const text = raw.trimEnd()
  const first = text.charCodeAt(0)
  if (first === 34 || first === 39) {
    const end = closingQuote(text, 0)
    if (end !== text.length - 1) unsupported()
    return intern(quoted(text))
  }
  if (text === '' || text === '<<' || startsLikeIndicator(text)) unsupported()
  const resolved = resolveKubernetesScalar(text)
  // A key that is not a plain string (`yes:`, `80:`) is left to the yaml reader, which stringifies it.
  if (resolved !== text) unsupported()
  return intern(text)
}

/** Characters a plain scalar cannot start with (YAML's indicators), or `- `, `? `, `: `. */
function startsLikeIndicator(text: string): boolean {
  const first = text[0]!
  if (',[]{}#&*!|>\'"%@`'.includes(first)) return true
  return (first === '-' || first === '?' || first === ':') && (text.length === 1 || text[1] === ' ')
}

function inlineValue(text: string): unknown {
  const first = text.charCodeAt(0)
  if (first === 91 || first === 123) {
    const reader = new FlowReader(text)
    const value = reader.value()
    reader.end()
    return value
  }
  if (first === 34 || first === 39) {
    if (closingQuote(text, 0) !== text.length - 1) unsupported()
    return quoted(text)
  }
  if (startsLikeIndicator(text)) unsupported()
  // `a: b: c` is an error in YAML; leave it to the yaml reader.
  if (findMappingColon(text) >= 0) unsupported()
  const value = resolveKubernetesScalar(text)
  return typeof value === 'string' ? intern(value) : value
}

/** Index of the quote closing the scalar opened at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text.charCodeAt(start)
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (quote === 34 && code === 92) i += 1
    else if (code === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) i += 1
      else return i
    }
  }
  return -1
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', e: '\x1b', a: '\x07', v: '\v', ' ': ' ' }

/** A whole quoted scalar (quotes included) decoded. */
function quoted(text: string): string {
  const body = text.slice(1, -1)
  if (text.charCodeAt(0) === 39) return body.includes("''") ? body.replace(/''/g, "'") : body
  if (!body.includes('\\')) return body
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!
    if (char !== '\\') {
      out += char
      continue
    }
    const escape = body[++i]!
    const simple = SIMPLE_ESCAPES[escape]
    if (simple !== undefined) {
      out += simple
      continue
    }
    const digits = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0
    const hex = body.slice(i + 1, i + 1 + digits)
    if (digits === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) unsupported()
    out += String.fromCodePoint(Number.parseInt(hex, 16))
    i += digits
  }
  return out
}

/** One-line flow collections (`[a, b]`, `{ k: v }`), nested, with plain and quoted scalars. */
class FlowReader {
  private at = 0
  constructor(private readonly text: string) {}

  value(): unknown {
    this.blanks()
    const code = this.text.charCodeAt(this.at)
    if (code === 91) return this.sequence()
    if (code === 123) return this.mapping()
    if (code === 34 || code === 39) {
      const close = closingQuote(this.text, this.at)
      if (close < 0) unsupported()
      const value = quoted(this.text.slice(this.at, close + 1))
      this.at = close + 1
      return value
    }
    return this.plain()
  }

  end(): void {
    this.blanks()
    if (this.at !== this.text.length) unsupported()
  }

  private sequence(): readonly unknown[] {
    const out: unknown[] = []
    this.at += 1
    this.blanks()
    if (this.text.charCodeAt(this.at) === 93) {
      this.at += 1
      return out
    }
    for (;;) {
      out.push(this.value())
      this.blanks()
      const code = this.text.charCodeAt(this.at)
      // `[a: b]` (a one-pair map inside a sequence) and `[1:2::]` are read differently by go-yaml and YAML 1.2.
      if (code === 58) unsupported()
      this.at += 1
      if (code === 93) return Object.freeze(out)
      if (code !== 44) unsupported()
      this.blanks()
      if (this.text.charCodeAt(this.at) === 93) {
        this.at += 1
        return Object.freeze(out)
      }
    }
  }

  private mapping(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.at += 1
    this.blanks()
    if (this.text.charCodeAt(this.at) === 125) {
      this.at += 1
      return out
    }
    for (;;) {
      const rawKey = this.value()
      if (typeof rawKey !== 'string' || rawKey === '<<' || Object.prototype.hasOwnProperty.call(out, rawKey)) unsupported()
      this.blanks()
      if (this.text.charCodeAt(this.at) !== 58) unsupported() // a key with no value
      this.at += 1
      this.blanks()
      const next = this.text.charCodeAt(this.at)
      out[rawKey as string] = next === 44 || next === 125 ? unsupported() : this.value()
      this.blanks()
      const code = this.text.charCodeAt(this.at)
      this.at += 1
      if (code === 125) return Object.freeze(out)
      if (code !== 44) unsupported()
      this.blanks()
      if (this.text.charCodeAt(this.at) === 125) {
        this.at += 1
        return Object.freeze(out)
      }
    }
  }

  /** A plain scalar in a flow: ends at `,`, `]`, `}`, or `: `; a `:` right before an end is go-yaml's quirk. */
  private plain(): unknown {
    const start = this.at
    const text = this.text
    while (this.at < text.length) {
      const code = text.charCodeAt(this.at)
      if (code === 44 || code === 93 || code === 125 || code === 91 || code === 123) break
      if (code === 58) {
        const next = text.charCodeAt(this.at + 1)
        if (next === 32) break
        if (next === 44 || next === 93 || next === 125 || Number.isNaN(next)) unsupported()
      }
      this.at += 1
    }
    const raw = text.slice(start, this.at).trimEnd()
    if (raw === '' || startsLikeIndicator(raw)) unsupported()
    const resolved = resolveKubernetesScalar(raw)
    return typeof resolved === 'string' ? intern(resolved) : resolved
  }

  private blanks(): void {
    while (this.text.charCodeAt(this.at) === 32) this.at += 1
  }
}
