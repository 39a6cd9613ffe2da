import { loadYaml } from '../source/load-yaml.js'
import { Field } from '../validate/field.js'
import { formatPath } from '../diagnostics/path.js'
import type { ExtensionProblem } from './types.js'

/**
 * Turns an annotation's text into a Field over its parsed YAML (JSON is YAML too), so the typed
 * readers of validate/common check it like any spec field. Findings become problems of `key`, the
 * path inside the value leading the message (`successRate.minimumHosts: must be …`).
 */
export function annotationValue(key: string, text: string, problems: ExtensionProblem[]): Field | undefined {
  let value: unknown
  try {
    // The yaml library loads with the first meshlet.io annotation read (source/load-yaml.ts).
    value = loadYaml().parse(text, { prettyErrors: false, uniqueKeys: true })
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
    problems.push({ key, severity: 'error', code: 'ANNOTATION_SYNTAX', message: `value is not valid YAML or JSON: ${reason}` })
    return undefined
  }
  if (value === null || value === undefined) {
    problems.push({ key, severity: 'error', code: 'ANNOTATION_SYNTAX', message: 'value is empty; write the setting as YAML or JSON text (e.g. {} for all defaults)' })
    return undefined
  }
  return new Field(value, [], {
    report(severity, code, message, path) {
      const where = formatPath(path)
      problems.push({ key, severity, code, message: where === '' ? message : `${where}: ${message}` })
    },
  })
}
