import { EXTENSION_KEYS, MESHLET_ANNOTATION_PREFIX } from './keys.js'
import { annotationValue } from './value.js'
import { closestName } from '../validate/common/read.js'
import type { ExtensionProblem, MeshletExtensions, ParsedMeshletExtensions } from './types.js'

/**
 * Reads every `meshlet.io/*` annotation: typed values with defaults filled in and durations in ms.
 * Other annotations are ignored. An annotation with a problem is left out of `extensions`, and
 * each problem is returned with its key (the validator reports it at that annotation).
 */
export function parseMeshletExtensions(annotations: Readonly<Record<string, string>>): ParsedMeshletExtensions {
  const extensions: { -readonly [K in keyof MeshletExtensions]: MeshletExtensions[K] } = {}
  const problems: ExtensionProblem[] = []
  for (const [key, text] of Object.entries(annotations)) {
    if (!key.startsWith(MESHLET_ANNOTATION_PREFIX)) continue
    const name = key.slice(MESHLET_ANNOTATION_PREFIX.length)
    const extension = EXTENSION_KEYS[name]
    if (!extension) {
      problems.push({ key, severity: 'error', code: 'ANNOTATION_UNKNOWN', message: unknownKeyMessage(key, name) })
      continue
    }
    const errorsBefore = countErrors(problems)
    const field = annotationValue(key, text, problems)
    if (!field) continue
    const read: typeof extensions = {}
    extension.read(field, read)
    if (countErrors(problems) === errorsBefore) Object.assign(extensions, read)
  }
  return { extensions: Object.freeze(extensions), problems }
}

const countErrors = (problems: readonly ExtensionProblem[]) => problems.filter((p) => p.severity === 'error').length

function unknownKeyMessage(key: string, name: string): string {
  const known = Object.keys(EXTENSION_KEYS)
  const suggestion = closestName(name, known)
  const list = known.map((k) => MESHLET_ANNOTATION_PREFIX + k).join(', ')
  return `unknown annotation "${key}"${suggestion ? ` (did you mean "${MESHLET_ANNOTATION_PREFIX}${suggestion}"?)` : ''}; meshlet reads ${list}`
}

