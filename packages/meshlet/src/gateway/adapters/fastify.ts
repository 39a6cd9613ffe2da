import type { IncomingMessage, ServerResponse } from 'node:http'

/** What the plugin uses of a Fastify instance, without depending on Fastify. */
interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }, done: () => void) => void): unknown
}

/**
 * The gateway as a Fastify plugin: an `onRequest` hook hands every request, raw, to the gateway
 * (the reply is hijacked, so Fastify neither parses the body nor answers). Registered without
 * encapsulation, it covers every route of the instance, unmatched ones included.
 */
export function fastifyPlugin(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const plugin = (instance: FastifyLike, _options: unknown, done: (error?: Error) => void): void => {
    instance.addHook('onRequest', (request, reply) => {
      reply.hijack()
      handle(request.raw, reply.raw)
    })
    done()
  }
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'meshlet-gateway',
    [Symbol.for('plugin-meta')]: { name: 'meshlet-gateway', fastify: '5.x' },
  })
}
