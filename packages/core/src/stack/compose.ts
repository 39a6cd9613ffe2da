import type { Handler, Layer } from './handler.js'
import { MeshError } from '../errors/mesh-error.js'

/**
 * Builds a stack from layers listed outermost first: `compose(a, b)(terminal)` runs a, then b, then
 * terminal. A non-function layer is rejected when the stack is built, not when a request runs.
 */
export function compose<Req, Res, Ctx>(
  ...layers: ReadonlyArray<Layer<Req, Res, Ctx>>
): (terminal: Handler<Req, Res, Ctx>) => Handler<Req, Res, Ctx> {
  layers.forEach((layer, index) => {
    if (typeof layer !== 'function') {
      throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `compose: layer ${index} is ${typeof layer}, expected a function`)
    }
  })
  return (terminal) => layers.reduceRight<Handler<Req, Res, Ctx>>((next, layer) => layer(next), terminal)
}
