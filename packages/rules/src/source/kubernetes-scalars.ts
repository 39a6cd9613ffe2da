import { loadYaml } from './load-yaml.js'
import type { Document, ScalarTag } from 'yaml'

/**
 * Plain scalars read the way Kubernetes reads them. kubectl and the API server turn YAML into JSON
 * with sigs.k8s.io/yaml, which decodes with go-yaml v2: YAML 1.1 words are booleans, integers take
 * Go's base prefixes, underscores are dropped from numbers, and nothing else is a number
 * (`gopkg.in/yaml.v2` resolve.go). The yaml library's default YAML 1.2 core schema differs on
 * each point: `yes`, `on`, `y` stay strings there, `017` is 17 rather than 15, `1_000` is a
 * string. meshlet must see what Istio sees, so a `version: yes` label is a boolean here too and
 * gets the same type error Kubernetes would give.
 */

/** go-yaml v2's table of plain words (resolveMapList). */
const WORDS: ReadonlyMap<string, boolean | null | number> = new Map<string, boolean | null | number>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((word) => [word, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((word) => [word, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((word) => [word, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((word) => [word, Number.NEGATIVE_INFINITY] as const),
])

/** Go's strconv.ParseInt with base 0 (sign, then 0x / 0b / 0o / leading-0 octal / decimal). */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]+)|([0-9]+))$/
/** go-yaml's yamlStyleFloat. */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
/** A date alone (Go layout "2006-1-2"), which sigs.k8s.io/yaml writes back as midnight UTC. */
const DATE_ONLY = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/

/** First characters of every word, number and date above (ASCII codes). */
const MAY_RESOLVE: readonly boolean[] = Array.from({ length: 128 }, (_, code) => '0123456789+-.~yYnNtTfFoO'.includes(String.fromCharCode(code)))

/** The value go-yaml v2 gives an untagged plain scalar, as it reaches JSON. */
export function resolveKubernetesScalar(text: string): unknown {
  if (text === '') return null
  const first = text.charCodeAt(0)
  // Most scalars (names, hosts, paths) start with a letter no word, number or date starts with.
  if (!MAY_RESOLVE[first]) return text
  const word = WORDS.get(text)
  if (word !== undefined) return word
  if (first === 46 /* . */) return YAML_FLOAT.test(text) ? Number(text) : text
  const isDigitOrSign = (first >= 48 && first <= 57) || first === 43 || first === 45
  if (!isDigitOrSign) return text
  const date = DATE_ONLY.exec(text)
  if (date) return `${date[1]}-${date[2]!.padStart(2, '0')}-${date[3]!.padStart(2, '0')}T00:00:00Z`
  const plain = text.includes('_') ? text.replace(/_/g, '') : text
  const int = GO_INT.exec(plain)
  if (int) {
    const sign = int[1] === '-' ? -1 : 1
    if (int[2] !== undefined) return sign * Number.parseInt(int[2], 16)
    if (int[3] !== undefined) return sign * Number.parseInt(int[3], 2)
    if (int[4] !== undefined) return sign * Number.parseInt(int[4], 8)
    if (int[5] !== undefined) return sign * Number.parseInt(int[5], 8)
    return sign * Number(int[6])
  }
  return YAML_FLOAT.test(plain) ? Number(plain) : text
}

/**
 * The one tag for every untagged plain scalar, on top of the failsafe schema (maps, sequences,
 * strings). Quoted scalars and explicit tags (`!!str on`) are not resolved, as in go-yaml.
 */
export const KUBERNETES_SCALAR: ScalarTag = {
  tag: 'tag:meshlet.io,2026:kubernetes-plain',
  default: true,
  test: /^(?:[-+0-9.yYnNtTfFoO~]|$)/,
  resolve: resolveKubernetesScalar,
}

/** The parse options that make the yaml library read scalars as Kubernetes does. */
export const KUBERNETES_YAML_OPTIONS: { readonly schema: 'failsafe'; readonly customTags: ScalarTag[]; readonly merge: true } = {
  schema: 'failsafe',
  customTags: [KUBERNETES_SCALAR],
  merge: true,
}

const FLOW_COLON = /:[,\]}]/

/** Whether any flow item of the text could need readFlowColonsAsKubernetes (test the text once, not per document). */
export function mayHaveFlowColons(text: string): boolean {
  return FLOW_COLON.test(text)
}

/**
 * go-yaml ends a plain scalar in a flow collection only at ": " (a colon and a blank); YAML 1.2,
 * and so the yaml library, also ends it at a colon right before `,`, `]` or `}`. So
 * `addresses: [1.2.3.4, 001:db8::]` is two strings to Kubernetes but a string and a one-entry map
 * here. This turns such items of flow sequences back into the scalar go-yaml reads. Call it only
 * when mayHaveFlowColons(text), so files without the pattern are not walked at all.
 */
export function readFlowColonsAsKubernetes(doc: Document.Parsed, text: string): void {
  const { isMap, isPair, isScalar, Scalar, visit } = loadYaml()
  visit(doc, {
    Seq(_, seq) {
      if (!seq.flow) return
      seq.items.forEach((item, index) => {
        if (!isMap(item) || item.items.length !== 1 || !item.range) return
        const pair = item.items[0]
        if (!isPair(pair) || !isScalar(pair.key) || pair.key.type !== 'PLAIN' || !pair.key.range) return
        // The value the colon introduced is empty: nothing, or an empty plain scalar.
        if (pair.value !== null && !(isScalar(pair.value) && pair.value.source === '' && pair.value.type === 'PLAIN')) return
        const keyEnd = pair.key.range[1]
        const source = text.slice(item.range[0], item.range[1])
        if (text[keyEnd] !== ':' || item.range[1] !== keyEnd + 1 || source.startsWith(':')) return
        const scalar = new Scalar(resolveKubernetesScalar(source))
        scalar.range = item.range
        seq.items[index] = scalar
      })
    },
  })
}
