import { MeshConfigError, parseText, validateResources } from '@meshlet/rules'

/**
 * Validates a WorkloadEntry read from etcd as a file's would be (Istio's schema and webhook rules),
 * so a bad registration is reported with its key, line, column and field path. Returns the
 * MeshConfigError to reject it with, or undefined when it is valid.
 */
export function checkWorkloadText(origin: string, text: string, namespace: string): MeshConfigError | undefined {
  const parsed = parseText(text, origin, { defaultNamespace: namespace })
  const problems = [...parsed.diagnostics, ...validateResources(parsed.resources)].filter((diagnostic) => diagnostic.severity === 'error')
  if (problems.length === 0 && parsed.resources.length === 1 && parsed.resources[0]!.kind === 'WorkloadEntry') return undefined
  if (problems.length === 0) {
    problems.push({ severity: 'error', code: 'WORKLOAD_REJECTED', message: 'a key under workloads/ must hold exactly one WorkloadEntry', file: origin, line: 0, column: 0, path: [] })
  }
  return new MeshConfigError(problems, 'MESHLET_ERR_CONFIG_INVALID')
}
