import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Composer, Parser } from 'yaml'
import type { Document } from 'yaml'
import { fastParseDocuments } from './fast-yaml.js'
import { KUBERNETES_YAML_OPTIONS, mayHaveFlowColons, readFlowColonsAsKubernetes } from './kubernetes-scalars.js'
import { parseText } from './parse.js'

/** What the yaml library reads, with Kubernetes' scalar rules: the reference the fast reader must equal. */
function reference(text: string): unknown[] {
  const docs = new Composer({ uniqueKeys: true, ...KUBERNETES_YAML_OPTIONS }).compose(new Parser().parse(text))
  const values: unknown[] = []
  for (const doc of docs as Iterable<Document.Parsed>) {
    if (doc.errors.length > 0) throw new Error(`reference failed: ${doc.errors[0]!.message}`)
    if (mayHaveFlowColons(text)) readFlowColonsAsKubernetes(doc, text)
    const value = doc.toJS({ maxAliasCount: 100 })
    if (value !== null && value !== undefined) values.push(value)
  }
  return values
}

function fast(text: string): unknown[] | undefined {
  return fastParseDocuments(text)?.map((doc) => doc.value).filter((value) => value !== null && value !== undefined)
}

const repo = fileURLToPath(new URL('../../../../', import.meta.url))
function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') return []
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return yamlFiles(path)
    return /\.ya?ml$/.test(name) ? [path] : []
  })
}

describe('the fast YAML reader', () => {
  it('reads every YAML file of the repository as the yaml library does, or leaves it to it', () => {
    const files = [...yamlFiles(join(repo, 'examples')), ...yamlFiles(join(repo, 'packages')), ...yamlFiles(join(repo, 'benchmarks'))]
    expect(files.length).toBeGreaterThan(5)
    let read = 0
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const values = fast(text)
      if (values === undefined) continue
      read += 1
      expect(values, file).toEqual(reference(text))
    }
    expect(read).toBeGreaterThan(files.length / 2)
  })

  const SAME = {
    'block mappings and sequences, nested and compact': 'a:\n  b: 1\n  c:\n    - x\n    - w: 2\n      z: [3, 4]\nd:\n- e\n- f\n',
    'comments everywhere': '# head\na: 1 # trailing\n# middle\nb: "x # not a comment"  # comment\nc: x#y\n',
    'quoted scalars and escapes': `a: "tab\\tquote\\" slash\\\\ \\u00e9 \\x41"\nb: 'it''s'\nc: ''\nd: ""\n"quoted key": 1\n'single': 2\n`,
    'Kubernetes scalars': 'a: yes\nb: off\nc: 0x1F\nd: 017\ne: 1_000\nf: 1.5e3\ng: ~\nh: 2026-1-2\ni: .inf\nj: "yes"\nk: +12\nl: -0\nm: 1.2.3.4\nname: v1\no:\n',
    'flow collections': 'a: { b: 1, c: [x, "y, z", {d: e}], f: [] }\ng: {}\nh: [ 1 , 2 , ]\ni: [a b, c]\n',
    'several documents and empty ones': '---\na: 1\n---\n# only a comment\n---\nb: [2]\n--- # marker with a comment\nc: 3\n---\n',
    'a sequence at the same indentation as its key, inside a list item': 'http:\n- match:\n  - uri: { prefix: / }\n  route:\n  - destination: { host: a }\n    weight: 10\n',
    'values with colons and URLs': 'a: http://x:80/y\nb: "a: b"\nc: 10.0.0.1:8080\nd: [http://x:80/, "k: v"]\n',
    'CRLF line ends': 'a: 1\r\nb:\r\n  - x\r\n',
    'a document that is one scalar or one list': '--- \nhello\n---\n- a\n- b\n',
  }
  for (const [name, text] of Object.entries(SAME)) {
    it(`reads ${name} as the yaml library does`, () => {
      const values = fast(text)
      expect(values, 'the fast reader should take this text').toBeDefined()
      expect(values).toEqual(reference(text))
    })
  }

  const LEFT_TO_YAML = {
    'anchors and aliases': 'a: &x 1\nb: *x\n',
    tags: 'a: !!str 1\n',
    'block scalars': 'a: |\n  line\n',
    'multi-line plain scalars': 'a: one\n  two\n',
    'multi-line flows': 'a: [1,\n  2]\n',
    'duplicate keys': 'a: 1\na: 2\n',
    'merge keys': 'a: { b: 1 }\nc:\n  <<: { b: 2 }\n',
    'keys that are not plain strings': 'yes: 1\n',
    'tabs for indentation': 'a:\n\tb: 1\n',
    'directives and document ends': '%YAML 1.1\n---\na: 1\n...\n',
    "go-yaml's colon before a flow end": 'a: [1.2.3.4, 2001:db8::]\n',
    'a value after a key on the same line': 'a: b: c\n',
    'a complex key': '? a\n: b\n',
    'a syntax error': 'a: "unterminated\n',
  }
  for (const [name, text] of Object.entries(LEFT_TO_YAML)) {
    it(`leaves ${name} to the yaml library`, () => {
      expect(fastParseDocuments(text)).toBeUndefined()
    })
  }

  it('gives parseText the same resources and positions by either reader', () => {
    const text = readFileSync(join(repo, 'examples/bookinfo/mesh/reviews.yaml'), 'utf8')
    expect(fastParseDocuments(text)).toBeDefined()
    // An anchor anywhere sends the whole text to the yaml library.
    const slow = parseText(`${text}\n---\n# &unused\nx: &y 1\n`, 'f.yaml', { defaultNamespace: 'default' })
    const quick = parseText(text, 'f.yaml', { defaultNamespace: 'default' })
    expect(quick.resources.map((r) => r.object)).toEqual(slow.resources.map((r) => r.object))
    for (const path of [[], ['spec', 'http', 1, 'route', 1, 'weight'], ['spec', 'subsets', 2, 'labels']]) {
      expect(quick.resources.map((r) => r.locate(path))).toEqual(slow.resources.map((r) => r.locate(path)))
    }
  })
})

describe('positions of documents the fast reader took', () => {
  it('are found for a text that starts with a blank line', () => {
    const text = '\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: a }\nspec:\n  hosts: [a]\n'
    const { resources } = parseText(text, 'f.yaml', { defaultNamespace: 'default' })
    expect(resources[0]!.locate(['spec', 'hosts'])).toEqual({ file: 'f.yaml', line: 6, column: 10 })
  })
})
