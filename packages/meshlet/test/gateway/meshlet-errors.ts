import { isMeshError } from '@meshlet/core'
import type { MeshErrorCode } from '@meshlet/core'
export { createGateway } from 'meshlet'

export function isMeshErrorCode(error: unknown, code: MeshErrorCode): boolean {
  return isMeshError(error, code)
}
