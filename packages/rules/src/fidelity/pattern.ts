import type { KindSupport, FieldSupport } from './types.js'

/**
 * Field path patterns: a path written like `formatPath` does (`spec.http[0].route`) with every
 * list index replaced by `[]`, so one pattern stands for the same field in every list item.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const TOKEN = /[A-Za-z_$][A-Za-z0-9_$]*|\.[A-Za-z_$][A-Za-z0-9_$]*|\[\]|\["(?:[^"\\]|\\.)*"\]/y

export function appendKey(pattern: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${pattern}[${JSON.stringify(key)}]`
  return pattern === '' ? key : `${pattern}.${key}`
}

export function appendIndex(pattern: string): string {
  return `${pattern}[]`
}

/** Splits a pattern into its segments' tokens: `spec`, `.http`, `[]`, `["meshlet.io/x"]`. */
export function tokenize(pattern: string): string[] {
  const out: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < pattern.length) {
    const start = TOKEN.lastIndex
    const match = TOKEN.exec(pattern)
    if (!match) throw new TypeError(`malformed field pattern ${JSON.stringify(pattern)} at ${start}`)
    out.push(match[0])
  }
  return out
}

/** The rows of one kind, indexed: leaf rows by pattern, and every pattern that has rows beneath. */
export class SupportIndex {
  private readonly rows = new Map<string, FieldSupport>()
  private readonly containers = new Set<string>()
  private readonly aliases: ReadonlyMap<string, string>

  constructor(readonly support: KindSupport) {
    this.aliases = new Map(support.aliases.map((alias) => [alias.from, alias.to]))
    for (const row of support.fields) {
      if (this.rows.has(row.pattern)) throw new TypeError(`field support: duplicate row ${row.pattern}`)
      this.rows.set(row.pattern, row)
      const tokens = tokenize(row.pattern)
      for (let end = 1; end < tokens.length; end++) this.containers.add(tokens.slice(0, end).join(''))
    }
  }

  /** Applies the kind's aliases to a pattern that just grew by one segment. */
  canonical(pattern: string): string {
    return this.aliases.get(pattern) ?? pattern
  }

  row(pattern: string): FieldSupport | undefined {
    return this.rows.get(pattern)
  }

  hasFieldsBelow(pattern: string): boolean {
    return this.containers.has(pattern)
  }
}
