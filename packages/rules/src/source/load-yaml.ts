import * as yaml from './yaml-library.js'

/**
 * The yaml library. Here it is imported with the rest (tests and the unbundled build); the bundle
 * (scripts/bundle.mjs) replaces this file with a loader that requires its chunk on first use, so
 * reading Kubernetes-style YAML with no finding never loads it.
 */
export function loadYaml(): typeof yaml {
  return yaml
}
