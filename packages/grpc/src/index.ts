export { registerMeshletGrpc } from './register.js'
export type { MeshletGrpc, MeshletGrpcOptions } from './register.js'
export { MESHLET_SCHEME } from './resolver.js'
export { grpcStatusForLocalReply } from './status.js'
