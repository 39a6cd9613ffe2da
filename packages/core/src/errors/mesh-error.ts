/**
 * The base of every error meshlet throws on purpose. Each carries a stable `code` listed in
 * docs/errors.md. Check errors with `isMeshError(e, code)`: it reads a brand, not the prototype, so
 * it keeps working when two copies of meshlet are loaded (undici and cockatiel do the same).
 */
import type { MeshErrorCode } from './codes.js'

const brand = Symbol.for('meshlet.error')

export class MeshError extends Error {
  readonly code: MeshErrorCode
  readonly [brand] = true

  constructor(code: MeshErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = 'MeshError'
  }
}

export function isMeshError(value: unknown, code?: MeshErrorCode): value is MeshError {
  if (typeof value !== 'object' || value === null || (value as { [brand]?: unknown })[brand] !== true) return false
  return code === undefined || (value as MeshError).code === code
}
