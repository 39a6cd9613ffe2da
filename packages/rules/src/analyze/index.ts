import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from '../source/resource.js'
import type { CompileOptions } from '../compile/options.js'

/**
 * Cross-resource analysis in the spirit of `istioctl analyze`: findings are warnings (marked
 * `analysis: true`) because one file of a larger set may still be valid. Implemented in this folder.
 */
export function analyzeResources(_resources: readonly RawResource[], _options: CompileOptions): Diagnostic[] {
  return []
}
