export { meshletFastify } from './plugin.js'
export { DEFAULT_FASTIFY_OPTIONS } from './options.js'
export type { MeshletFastifyOptions, InboundAdapterMesh } from './options.js'
