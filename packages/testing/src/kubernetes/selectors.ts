/** A parsed label selector (k8s.io/apimachinery/pkg/labels): every requirement must hold. */
export type LabelSelector = (labels: Readonly<Record<string, string>>) => boolean

/**
 * Parses `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` and `!a`, comma separated.
 * Throws on anything else (the server answers 400, as the real one does).
 */
export function parseLabelSelector(text: string | null): LabelSelector {
  if (text === null || text.trim() === '') return () => true
  const requirements: LabelSelector[] = []
  for (const part of splitTopLevel(text)) {
    const term = part.trim()
    let match: RegExpMatchArray | null
    if ((match = term.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, operator, values] = match
      const set = new Set(values!.split(',').map((value) => value.trim()))
      requirements.push(operator === 'in' ? (labels) => labels[key!] !== undefined && set.has(labels[key!]!) : (labels) => labels[key!] === undefined || !set.has(labels[key!]!))
    } else if ((match = term.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      const [, key, operator, value] = match
      requirements.push(operator === '!=' ? (labels) => labels[key!] !== value : (labels) => labels[key!] === value)
    } else if ((match = term.match(/^!([\w./-]+)$/))) {
      const key = match[1]!
      requirements.push((labels) => labels[key] === undefined)
    } else if ((match = term.match(/^([\w./-]+)$/))) {
      const key = match[1]!
      requirements.push((labels) => labels[key] !== undefined)
    } else {
      throw new Error(`unable to parse requirement: ${term}`)
    }
  }
  return (labels) => requirements.every((requirement) => requirement(labels))
}

/** Field selectors the fake server supports: `metadata.name` and `metadata.namespace`, with = and !=. */
export function parseFieldSelector(text: string | null): (object: { metadata: { name: string; namespace?: string } }) => boolean {
  if (text === null || text.trim() === '') return () => true
  const tests = text.split(',').map((term) => {
    const match = term.trim().match(/^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/)
    if (!match) throw new Error(`field label not supported: ${term}`)
    const [, field, operator, value] = match
    const read = (object: { metadata: { name: string; namespace?: string } }) => (field === 'metadata.name' ? object.metadata.name : (object.metadata.namespace ?? ''))
    return operator === '!=' ? (object: { metadata: { name: string; namespace?: string } }) => read(object) !== value : (object: { metadata: { name: string; namespace?: string } }) => read(object) === value
  })
  return (object) => tests.every((test) => test(object))
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (char === '(') depth++
    if (char === ')') depth--
    if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
}
