import { inboundContextFactory, runWithInboundContext } from '@meshlet/core'
import { inboundDeadline } from '@meshlet/resilience'
import type { FastifyPluginCallback } from 'fastify'
import { applyCorsDecision, corsDecisionFor } from './cors.js'
import { DEFAULT_FASTIFY_OPTIONS, fastifyOptionsError } from './options.js'
import type { MeshletFastifyOptions } from './options.js'

/**
 * Fastify plugin giving each inbound request a context from its `onRequest` hook, so that every
 * `mesh.fetch` made while handling it carries the request's propagated headers (`x-request-id`,
 * generated when absent; trace context; every header a loaded VirtualService matches on, such as
 * `end-user`), stays within the deadline the request brings (`x-envoy-expected-rq-timeout-ms`,
 * `grpc-timeout`) and knows the caller's address (consistent hash `useSourceIp`). It also
 * answers CORS as the service's own VirtualService `corsPolicy` says. It skips encapsulation, so
 * the hook covers every route of the instance it is registered on.
 */
const meshletFastifyPlugin: FastifyPluginCallback<MeshletFastifyOptions> = (instance, options, done) => {
  const invalid = fastifyOptionsError(options)
  if (invalid !== undefined) {
    done(invalid)
    return
  }
  const { mesh } = options
  const contextFor = inboundContextFactory(mesh, {
    propagate: options.propagate,
    generateRequestId: options.generateRequestId,
    readDeadline: inboundDeadline,
  })
  const cors = options.cors ?? DEFAULT_FASTIFY_OPTIONS.cors
  const ownHost = options.host

  instance.addHook('onRequest', function meshletInbound(request, reply, hookDone) {
    if (cors && request.headers.origin !== undefined && applyCorsDecision(corsDecisionFor(mesh, request, ownHost), reply)) return
    // The rest of the lifecycle (body parsing, handler) runs inside the context; request.ip
    // honours Fastify's `trustProxy`, as Envoy's remote address honours trusted hops.
    runWithInboundContext(contextFor(request.headers, request.ip), hookDone)
  })
  done()
}

/**
 * Plugin metadata read by Fastify's plugin loader, written out so that no fastify-plugin
 * dependency is needed: skip encapsulation, a name for errors and `dependencies` checks, and
 * the Fastify versions the plugin works with.
 */
export const meshletFastify = Object.assign(meshletFastifyPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@meshlet/fastify',
  [Symbol.for('plugin-meta')]: { name: '@meshlet/fastify', fastify: '5.x' },
})
