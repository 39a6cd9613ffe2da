import * as tooling from './index.js'

/**
 * The tooling module. Here it is imported with the rest (tests and the unbundled build); the bundle
 * (scripts/bundle.mjs) replaces this file with a loader that requires the tooling chunk on the first
 * call, so importing the package does not load the YAML parser, the validator, analysis or fidelity.
 */
export function loadTooling(): typeof tooling {
  return tooling
}
