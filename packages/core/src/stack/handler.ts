/**
 * "Your server as a function": a call is a function from a request to a promised response, and a
 * layer turns one such function into another (Finagle's Filter, tower's Layer, undici's
 * interceptor). The request, response and context types are left generic here so that the
 * data plane can choose them; core only fixes the shape.
 */
export type Handler<Req, Res, Ctx> = (request: Req, context: Ctx) => Promise<Res>

export type Layer<Req, Res, Ctx> = (next: Handler<Req, Res, Ctx>) => Handler<Req, Res, Ctx>
