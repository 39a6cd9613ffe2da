export { createMeshGot } from './create-mesh-got.js'
export type { MeshWithRequest, MeshWithFetch } from './create-mesh-got.js'
export { MESH_GOT_DEFAULTS } from './options.js'
