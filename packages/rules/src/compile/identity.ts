import type { CompileOptions } from './options.js'
import { DEFAULT_IDENTITY } from './options.js'
import type { MeshIdentity } from './snapshot.js'

export function identityFrom(options: CompileOptions): MeshIdentity {
  return {
    namespace: options.namespace ?? DEFAULT_IDENTITY.namespace,
    labels: { ...(options.labels ?? {}) },
    domain: options.domain ?? DEFAULT_IDENTITY.domain,
  }
}
