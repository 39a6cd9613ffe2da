export { compose } from './compose.js'
export type { Handler, Layer } from './handler.js'
