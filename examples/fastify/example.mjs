// A Fastify checkout service calling payments through meshlet with a got client. The plugin gives
// each request a context, so the got call made while handling it carries the request id and
// trace headers, and stops at the deadline the caller brought (x-envoy-expected-rq-timeout-ms).
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import { HTTPError } from 'got'
import { createMesh } from 'meshlet'
import { meshletFastify } from '@meshlet/fastify'
import { createMeshGot } from '@meshlet/got'

const RULES_DIR = fileURLToPath(new URL('./mesh/', import.meta.url))

/** checkout: POST /checkout charges the card with payments and reports the outcome. */
export async function checkoutApp(mesh) {
  const payments = createMeshGot(mesh, { prefixUrl: 'http://payments:8080' })
  const app = Fastify()
  await app.register(meshletFastify, { mesh, host: 'checkout:8080' })
  app.post('/checkout', async (request, reply) => {
    try {
      const charge = await payments.post('charge', { json: { card: request.body.card, amount: request.body.amount } }).json()
      return { status: 'paid', charge }
    } catch (error) {
      // got's HTTPError: the mesh's own replies carry x-meshlet-reason (504 timeout here).
      if (!(error instanceof HTTPError)) throw error
      return reply.code(error.response.statusCode).send({ status: 'failed', reason: error.response.headers['x-meshlet-reason'] ?? null })
    }
  })
  return app
}

/**
 * A stand-in payments service: charges at once and echoes the trace headers it received; the
 * card "stuck" never gets an answer (a dependency that hangs), until the server closes.
 */
function paymentsServer() {
  return createServer(async (req, res) => {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const { card, amount } = JSON.parse(Buffer.concat(chunks).toString())
    if (card === 'stuck') return
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ card, amount, by: 'payments', seen: { 'x-request-id': req.headers['x-request-id'] ?? null, traceparent: req.headers.traceparent ?? null } }))
  })
}

/** Starts payments and checkout on loopback ports; returns the checkout URL and close(). */
export async function startExample() {
  const payments = paymentsServer()
  await new Promise((resolve) => payments.listen(0, '127.0.0.1', resolve))
  const mesh = await createMesh({
    files: [RULES_DIR],
    labels: { app: 'checkout' },
    endpoints: { payments: [{ address: '127.0.0.1', port: payments.address().port }] },
  })
  const app = await checkoutApp(mesh)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url,
    async close() {
      payments.closeAllConnections()
      await new Promise((resolve) => payments.close(resolve))
      await app.close()
      await mesh.close()
    },
  }
}

export const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

/** The requests the example makes, with what came back. */
export async function tryIt(url) {
  const post = async (body, headers = {}) => {
    const answer = await fetch(`${url}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    return { status: answer.status, body: await answer.json() }
  }
  const paid = await post({ card: '4242', amount: 30 }, { traceparent: TRACEPARENT, 'x-request-id': 'order-1001' })
  const hurried = await post({ card: 'stuck', amount: 30 }, { 'x-envoy-expected-rq-timeout-ms': '150' })
  return { paid, hurried }
}
