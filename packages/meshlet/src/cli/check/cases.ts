/**
 * Reads a route-table test file for `meshlet check`, in the spirit of Envoy's router check tool
 * (https://www.envoyproxy.io/docs/envoy/latest/operations/tools/route_table_check_tool): each case
 * is a request and the decision fields it expects. Every problem in the file is reported at once,
 * with its line and column, so a typo never turns into a test that silently passes.
 *
 *   cases:                      # or the list itself at the top level
 *     - name: jason sees v2
 *       request: { method: GET, url: "http://reviews/reviews/1", headers: { end-user: jason } }
 *       seed: 7                 # optional: seeds the weighted pick behind `selected`
 *       expect:
 *         virtualService: default/reviews
 *         route: { index: 0 }   # or a number (index) or a string (name); null = no route
 *         selected: { host: reviews, subset: v2 }
 */
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml'
import type { Document } from 'yaml'

export interface CheckCase {
  readonly name: string
  /** 1-based line of the case in the file. */
  readonly line: number
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>> }
  readonly seed: number
  /** Expected decision fields, as written (route shorthands expanded). */
  readonly expect: Readonly<Record<string, unknown>>
}

export interface CaseFile {
  readonly cases: readonly CheckCase[]
  /** `file:line:col  path: message`, one per problem. */
  readonly problems: readonly string[]
}

/** Seed used when a case names none, so `selected` is the same on every run. */
export const DEFAULT_CASE_SEED = 1

const CASE_KEYS = new Set(['name', 'request', 'expect', 'seed'])
const REQUEST_KEYS = new Set(['method', 'url', 'headers'])

export function parseCaseFile(text: string, file: string): CaseFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  const problems: string[] = []
  const at = (path: ReadonlyArray<string | number>, atKey = false): { line: number; col: number } => {
    const node = atKey ? keyNodeAt(doc, path) : nodeAt(doc, path)
    return node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 }
  }
  const problem: Problem = (path, message, atKey = false) => {
    const { line, col } = at(path, atKey)
    problems.push(`${file}:${line}:${col}  ${formatCasePath(path)}${path.length > 0 ? ': ' : ''}${message}`)
  }
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0])
    problems.push(`${file}:${line}:${col}  ${error.message.split('\n')[0]}`)
  }
  if (problems.length > 0) return { cases: [], problems }

  const root: unknown = doc.toJS()
  const listPath: Array<string | number> = isRecord(root) ? ['cases'] : []
  const list = isRecord(root) ? root.cases : root
  if (!Array.isArray(list)) {
    problem(listPath, 'expected a list of cases (at the top level or under `cases:`)')
    return { cases: [], problems }
  }
  const cases: CheckCase[] = []
  const names = new Set<string>()
  list.forEach((raw: unknown, index) => {
    const path = [...listPath, index]
    const before = problems.length
    if (!isRecord(raw)) return problem(path, 'a case must be a map with name, request and expect')
    for (const key of Object.keys(raw)) if (!CASE_KEYS.has(key)) problem([...path, key], `unknown field; a case has ${[...CASE_KEYS].join(', ')}`, true)
    const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : undefined
    if (name === undefined) problem([...path, 'name'], 'every case needs a name (a sentence saying what it checks)')
    else if (names.has(name)) problem([...path, 'name'], `another case is already named ${JSON.stringify(name)}`)
    else names.add(name)
    const request = readRequest(raw.request, [...path, 'request'], problem)
    const expect = readExpect(raw.expect, [...path, 'expect'], problem)
    const seed = raw.seed === undefined ? DEFAULT_CASE_SEED : raw.seed
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) problem([...path, 'seed'], 'must be a whole number ≥ 0')
    if (problems.length === before && name && request && expect) {
      cases.push({ name, line: at(path).line, request, seed: seed as number, expect })
    }
  })
  if (list.length === 0) problem(listPath, 'has no cases')
  return { cases, problems }
}

type Problem = (path: ReadonlyArray<string | number>, message: string, atKey?: boolean) => void

function readRequest(raw: unknown, path: Array<string | number>, problem: Problem): CheckCase['request'] | undefined {
  if (!isRecord(raw)) return problem(path, 'required: a map with method, url and headers'), undefined
  for (const key of Object.keys(raw)) if (!REQUEST_KEYS.has(key)) problem([...path, key], `unknown field; a request has ${[...REQUEST_KEYS].join(', ')}`, true)
  const method = raw.method ?? 'GET'
  if (typeof method !== 'string' || method === '') problem([...path, 'method'], 'must be an HTTP method such as GET')
  if (typeof raw.url !== 'string' || raw.url === '') problem([...path, 'url'], 'required: the full URL, e.g. http://reviews/reviews/1')
  const headers: Record<string, string> = {}
  if (raw.headers !== undefined && !isRecord(raw.headers)) problem([...path, 'headers'], 'must be a map of header name to value')
  for (const [name, value] of Object.entries(isRecord(raw.headers) ? raw.headers : {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') headers[name.toLowerCase()] = String(value)
    else problem([...path, 'headers', name], 'a header value must be a string')
  }
  return typeof method === 'string' && typeof raw.url === 'string' ? { method, url: raw.url, headers } : undefined
}

function readExpect(raw: unknown, path: Array<string | number>, problem: Problem): Record<string, unknown> | undefined {
  if (!isRecord(raw) || Object.keys(raw).length === 0) return problem(path, 'required: a map of the decision fields to check'), undefined
  const expect: Record<string, unknown> = { ...raw }
  // Shorthands: `route: 2` is the route index, `route: jason` its name.
  if (typeof raw.route === 'number') expect.route = { index: raw.route }
  else if (typeof raw.route === 'string') expect.route = { name: raw.route }
  else if (raw.route !== undefined && raw.route !== null && !isRecord(raw.route)) problem([...path, 'route'], 'must be an index, a name, a map {index, name} or null')
  return expect
}

function nodeAt(doc: Document.Parsed, path: ReadonlyArray<string | number>): { range?: readonly [number, number, number] | null } | undefined {
  if (path.length === 0) return doc.contents ?? undefined
  const node: unknown = doc.getIn(path, true)
  if (node && typeof node === 'object' && 'range' in node) return node as { range?: readonly [number, number, number] | null }
  // A missing key: point at the map or list that should hold it.
  return nodeAt(doc, path.slice(0, -1))
}

/** The key of a map entry (to point at an unknown field's name rather than its value). */
function keyNodeAt(doc: Document.Parsed, path: ReadonlyArray<string | number>): { range?: readonly [number, number, number] | null } | undefined {
  const parent: unknown = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1))
    if (pair && isScalar(pair.key)) return pair.key
  }
  return nodeAt(doc, path)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function formatCasePath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}
