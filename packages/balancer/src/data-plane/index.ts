export { createMeshPicker } from './picker.js'
export type { MeshPicker, MeshPickerOptions, MeshPick, PolicyView } from './picker.js'
export { createBalancingLayer } from './layer.js'
export { cookieValue, queryValue } from './request-context.js'
