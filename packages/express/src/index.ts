export { meshletExpress } from './middleware.js'
export { DEFAULT_EXPRESS_OPTIONS } from './options.js'
export type { MeshletExpressOptions, InboundAdapterMesh } from './options.js'
