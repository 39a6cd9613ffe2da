import { MeshConfigError, parseSourcedObjects, parseText, validateResources } from '@meshlet/rules'
import type { ParseResult } from '@meshlet/rules'

/**
 * Validates a WorkloadEntry read from etcd as a file's would be (Istio's schema and webhook rules),
 * so a bad registration is reported with its key, line, column and field path. Returns the
 * MeshConfigError to reject it with, or undefined when it is valid.
 */
export function checkWorkloadText(origin: string, text: string, namespace: string): MeshConfigError | undefined {
  const parsed = parseWorkload(origin, text, namespace)
  const problems = [...parsed.diagnostics, ...validateResources(parsed.resources)].filter((diagnostic) => diagnostic.severity === 'error')
  if (problems.length === 0 && parsed.resources.length === 1 && parsed.resources[0]!.kind === 'WorkloadEntry') return undefined
  if (problems.length === 0) {
    problems.push({ severity: 'error', code: 'WORKLOAD_REJECTED', message: 'a key under workloads/ must hold exactly one WorkloadEntry', file: origin, line: 0, column: 0, path: [] })
  }
  return new MeshConfigError(problems, 'MESHLET_ERR_CONFIG_INVALID')
}

/**
 * JSON (what mesh.register writes) is read with JSON.parse, an order of magnitude faster than the
 * YAML parser with positions, which matters at a thousand registrations a second; findings then
 * name the key and the field path, without a line. YAML (and JSON that does not parse) keeps
 * line and column.
 */
function parseWorkload(origin: string, text: string, namespace: string): ParseResult {
  if (text.trimStart().startsWith('{')) {
    try {
      return parseSourcedObjects([{ origin, object: JSON.parse(text) as unknown }], { defaultNamespace: namespace })
    } catch {
      // Not JSON after all: the YAML parser says where it breaks.
    }
  }
  return parseText(text, origin, { defaultNamespace: namespace })
}
