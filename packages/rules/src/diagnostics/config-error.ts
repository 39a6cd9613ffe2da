import { MeshError } from '@meshlet/core'
import type { Diagnostic } from './diagnostic.js'
import { formatDiagnostic } from './diagnostic.js'

/**
 * Thrown (or returned) when resources do not compile. `diagnostics` holds every problem found, not
 * just the first; the message lists the errors one per line.
 */
export class MeshConfigError extends MeshError {
  readonly diagnostics: readonly Diagnostic[]

  constructor(diagnostics: readonly Diagnostic[], code: 'MESHLET_ERR_CONFIG_INVALID' | 'MESHLET_ERR_CONFIG_PARSE' | 'MESHLET_ERR_CONFIG_READ' | 'MESHLET_ERR_FIDELITY_STRICT' | 'MESHLET_ERR_GATEWAY_NOT_FOUND' = 'MESHLET_ERR_CONFIG_INVALID') {
    const errors = diagnostics.filter((d) => d.severity === 'error')
    const lines = errors.map(formatDiagnostic)
    super(code, `${errors.length} problem${errors.length === 1 ? '' : 's'} in mesh configuration:\n${lines.join('\n')}`)
    this.name = 'MeshConfigError'
    this.diagnostics = diagnostics
  }
}
