export { MeshError, isMeshError } from './mesh-error.js'
export { MESH_ERROR_CODES } from './codes.js'
export type { MeshErrorCode } from './codes.js'
