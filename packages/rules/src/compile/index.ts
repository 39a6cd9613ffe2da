import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from '../source/resource.js'
import type { CompileOptions } from './options.js'
import type { MeshSnapshot } from './snapshot.js'

/**
 * Builds the frozen snapshot from resources that passed validation. `diagnostics` (warnings and
 * notes so far) are kept on the snapshot. Implemented in this folder.
 */
export function compileValidated(_resources: readonly RawResource[], _options: CompileOptions, _diagnostics: readonly Diagnostic[]): MeshSnapshot {
  throw new TypeError('compileValidated: not built yet')
}
