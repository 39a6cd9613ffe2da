import type { CompiledMatch, CompiledVirtualService, HeaderSource, StringMatcher } from '../compile/snapshot.js'
import { findQueryParam } from '../match/query.js'
import type { RouteRequest } from './request.js'

/**
 * A VirtualService's routes laid out for the per-request decision: every match entry, in order, as
 * a few integers in one typed array, with the strings it compares in one array beside it. With
 * traffic scattered over a thousand hosts each decision runs cold, and its cost is the memory it
 * touches rather than the comparisons: walking route → matches → match → matcher → closure objects
 * cost about 5 µs per decision here. In the table, a condition is first checked against the
 * integers (the length of the value it wants, and up to its first four characters), so most
 * conditions that fail never load their string. Decisions are the same as matchRoute's
 * (match-request.ts); a test compares both on every route shape.
 */
export class PackedRoutes {
  /** Use PackedRoutes.of. */
  constructor(
    /** Per entry: ENTRY_HEADER ints, then CHECK_SIZE ints per condition. */
    private readonly code: Int32Array,
    /** Offsets of the entries in `code`. */
    private readonly entryStarts: Int32Array,
    /** Strings a condition compares (values, header and parameter names), by index. */
    private readonly strings: readonly string[],
    /** Matchers run as they are (regex, case-insensitive), by index. */
    private readonly matchers: readonly StringMatcher[],
    /** Per entry: the route it belongs to and its match entry (undefined for a catch-all route). */
    readonly entryRoute: Int32Array,
    readonly entryMatch: ReadonlyArray<CompiledMatch | undefined>,
  ) {}

  static of(virtualService: CompiledVirtualService, intern: (text: string) => string): PackedRoutes {
    const builder = new TableBuilder(intern)
    virtualService.routes.forEach((route, routeIndex) => {
      if (route.matches === undefined) builder.entry(routeIndex, undefined)
      else for (const match of route.matches) builder.entry(routeIndex, match)
    })
    return builder.build()
  }

  /** The first entry the request satisfies, or -1. */
  firstMatch(request: RouteRequest): number {
    const code = this.code
    const starts = this.entryStarts
    for (let entry = 0; entry < starts.length; entry++) {
      let at = starts[entry]!
      const port = code[at]!
      const checks = code[at + 1]!
      at += ENTRY_HEADER
      if (port !== NO_PORT && port !== request.port) continue
      let passed = true
      for (let c = 0; c < checks; c++, at += CHECK_SIZE) {
        if (!this.check(code, at, request)) {
          passed = false
          break
        }
      }
      if (passed) return entry
    }
    return -1
  }

  private check(code: Int32Array, at: number, request: RouteRequest): boolean {
    const source = code[at + 1]!
    const flags = code[at + 2]!
    let value: string | undefined
    switch (source) {
      case SOURCE_PATH:
        value = request.path
        break
      case SOURCE_METHOD:
        value = request.method
        break
      case SOURCE_SCHEME:
        value = request.scheme
        break
      case SOURCE_AUTHORITY:
        value = request.authority
        break
      case SOURCE_PATH_WITH_QUERY:
        value = request.pathWithQuery
        break
      case SOURCE_HEADER:
        value = request.header(this.strings[code[at + 6]!]!)
        break
      case SOURCE_QUERY:
        value = findQueryParam(request.query, this.strings[code[at + 6]!]!)
        break
      default:
        value = undefined // :status is never on a request
    }
    const kind = code[at]!
    let matched: boolean
    // Envoy's HeaderMatcher: a missing value fails any value match and passes presence only when
    // inverted, unless it is read as empty (withoutHeaders); `invert` flips the outcome.
    if (kind === KIND_PRESENT) matched = value !== undefined
    else if (value === undefined && (flags & FLAG_MISSING_AS_EMPTY) === 0) matched = false
    else matched = this.test(code, at, kind, value ?? '')
    return (flags & FLAG_INVERT) !== 0 ? !matched : matched
  }

  private test(code: Int32Array, at: number, kind: number, value: string): boolean {
    if (kind === KIND_MATCHER) return this.matchers[code[at + 3]!]!.test(value)
    const length = code[at + 4]!
    if (kind === KIND_EXACT ? value.length !== length : value.length < length) return false
    const lead = code[at + 5]!
    if (lead !== NO_LEAD && packLead(value, length) !== lead) return false
    const text = this.strings[code[at + 3]!]!
    return kind === KIND_EXACT ? value === text : value.startsWith(text)
  }
}

const ENTRY_HEADER = 2 // port, number of checks
const CHECK_SIZE = 7 // kind, source, flags, string or matcher index, length, lead, name index
const NO_PORT = -1
const NO_LEAD = -1

const KIND_PRESENT = 0
const KIND_EXACT = 1
const KIND_PREFIX = 2
/** Regex and case-insensitive comparisons: the compiled matcher runs. */
const KIND_MATCHER = 3

const SOURCE_PATH = 0
const SOURCE_METHOD = 1
const SOURCE_SCHEME = 2
const SOURCE_AUTHORITY = 3
const SOURCE_HEADER = 4
const SOURCE_QUERY = 5
const SOURCE_PATH_WITH_QUERY = 6
const SOURCE_NONE = 7

const FLAG_INVERT = 1
const FLAG_MISSING_AS_EMPTY = 2

const HEADER_SOURCES: Readonly<Record<HeaderSource, number>> = {
  header: SOURCE_HEADER,
  ':method': SOURCE_METHOD,
  ':authority': SOURCE_AUTHORITY,
  ':scheme': SOURCE_SCHEME,
  ':path': SOURCE_PATH_WITH_QUERY,
  ':status': SOURCE_NONE,
}

/**
 * Up to the first four characters of a value as one integer (8 bits each), when they all fit;
 * the table stores this for each value a condition wants, and compares it with the request's.
 */
function packLead(text: string, length: number): number {
  const count = length < 4 ? length : 4
  let packed = count
  for (let i = 0; i < count; i++) {
    const code = text.charCodeAt(i)
    if (code > 255) return NO_LEAD
    packed = (packed << 8) | code
  }
  return packed
}

class TableBuilder {
  private readonly code: number[] = []
  private readonly starts: number[] = []
  private readonly strings: string[] = []
  private readonly stringIndex = new Map<string, number>()
  private readonly matchers: StringMatcher[] = []
  private readonly routes: number[] = []
  private readonly matches: Array<CompiledMatch | undefined> = []

  constructor(private readonly intern: (text: string) => string) {}

  entry(routeIndex: number, match: CompiledMatch | undefined): void {
    this.starts.push(this.code.length)
    this.routes.push(routeIndex)
    this.matches.push(match)
    const header = this.code.length
    this.code.push(match?.port ?? NO_PORT, 0)
    if (match === undefined) return
    let checks = 0
    const add = (matcher: StringMatcher, source: number, flags: number, name: string | undefined) => {
      this.check(matcher, source, flags, name)
      checks += 1
    }
    if (match.uri) add(match.uri, SOURCE_PATH, 0, undefined)
    if (match.method) add(match.method, SOURCE_METHOD, 0, undefined)
    if (match.scheme) add(match.scheme, SOURCE_SCHEME, 0, undefined)
    if (match.authority) add(match.authority, SOURCE_AUTHORITY, 0, undefined)
    for (const header of match.headers) {
      const flags = (header.invert ? FLAG_INVERT : 0) | (header.missingAsEmpty ? FLAG_MISSING_AS_EMPTY : 0)
      add(header.match, HEADER_SOURCES[header.source], flags, header.source === 'header' ? header.name : undefined)
    }
    for (const param of match.queryParams) add(param.match, SOURCE_QUERY, 0, param.name)
    this.code[header + 1] = checks
  }

  private check(matcher: StringMatcher, source: number, flags: number, name: string | undefined): void {
    const nameIndex = name === undefined ? -1 : this.string(name)
    // A uri/method/scheme/authority condition that is `present` holds for every request (the value is always there).
    if (matcher.kind === 'present') {
      this.code.push(KIND_PRESENT, source, flags, -1, 0, NO_LEAD, nameIndex)
      return
    }
    if (matcher.kind === 'regex' || matcher.ignoreCase) {
      this.matchers.push(matcher)
      this.code.push(KIND_MATCHER, source, flags, this.matchers.length - 1, 0, NO_LEAD, nameIndex)
      return
    }
    const kind = matcher.kind === 'exact' ? KIND_EXACT : KIND_PREFIX
    this.code.push(kind, source, flags, this.string(matcher.value), matcher.value.length, packLead(matcher.value, matcher.value.length), nameIndex)
  }

  private string(text: string): number {
    let index = this.stringIndex.get(text)
    if (index === undefined) {
      index = this.strings.length
      this.strings.push(this.intern(text))
      this.stringIndex.set(text, index)
    }
    return index
  }

  build(): PackedRoutes {
    return new PackedRoutes(Int32Array.from(this.code), Int32Array.from(this.starts), this.strings, this.matchers, Int32Array.from(this.routes), this.matches)
  }
}
