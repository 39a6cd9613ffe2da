import { createRequire } from 'node:module'

let parse: ((text: string) => unknown) | undefined

/**
 * The yaml library's parse, loaded on first use: reading a kubeconfig or a WorkloadEntry written as
 * YAML needs it, while a mesh started from a precompiled snapshot (a serverless cold start) must
 * not pay for loading it.
 */
export function parseYaml(text: string): unknown {
  parse ??= (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse
  return parse(text)
}
