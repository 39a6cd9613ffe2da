import type { ValidationInput } from '../context.js'
import { readMap } from '../common/read.js'
import { EXTENSION_KEYS, MESHLET_ANNOTATION_PREFIX } from '../../extensions/keys.js'
import { parseMeshletExtensions } from '../../extensions/parse.js'

/**
 * Validates `meshlet.io/*` annotations (meshlet's extensions; Istio ignores them, DESIGN.md
 * "Beyond Istio"). Problems are reported at `metadata.annotations["meshlet.io/…"]`: an unknown
 * key is an error (typo protection), a known key on a kind where it means nothing warns.
 */
export function validateMeshletAnnotations({ root, resource }: ValidationInput): void {
  const annotations = root.at('metadata').at('annotations')
  const texts: Record<string, string> = {}
  for (const [key, field] of readMap(annotations)) {
    if (!key.startsWith(MESHLET_ANNOTATION_PREFIX)) continue
    if (typeof field.value === 'string') texts[key] = field.value
    else field.error('ANNOTATION_NOT_STRING', 'annotation values must be strings; quote the value, or write YAML in a block scalar (key: |)')
  }
  if (Object.keys(texts).length === 0) return

  const { extensions, problems } = parseMeshletExtensions(texts)
  for (const key of Object.keys(texts)) {
    const extension = EXTENSION_KEYS[key.slice(MESHLET_ANNOTATION_PREFIX.length)]
    if (extension && !extension.kinds.includes(resource.kind)) {
      annotations.at(key).warn('ANNOTATION_NO_EFFECT', `${key} has no effect on a ${resource.kind}; put it on the ${extension.kinds.join(' or ')} for this host`)
    }
  }
  const meaningful = (key: string) => EXTENSION_KEYS[key.slice(MESHLET_ANNOTATION_PREFIX.length)]?.kinds.includes(resource.kind) ?? true
  for (const problem of problems) {
    if (!meaningful(problem.key)) continue
    const field = annotations.at(problem.key)
    if (problem.severity === 'error') field.error(problem.code, problem.message)
    else field.warn(problem.code, problem.message)
  }
  if (extensions.peakEwma && extensions.loadBalancer !== 'PEAK_EWMA' && meaningful(`${MESHLET_ANNOTATION_PREFIX}peak-ewma`)) {
    annotations.at(`${MESHLET_ANNOTATION_PREFIX}peak-ewma`).warn('ANNOTATION_NO_EFFECT', `meshlet.io/peak-ewma only tunes PEAK_EWMA balancing; add meshlet.io/load-balancer: PEAK_EWMA`)
  }
}
