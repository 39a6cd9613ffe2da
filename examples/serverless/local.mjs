// Running the function locally: a stand-in catalog on a loopback port, API Gateway-shaped events
// and a Lambda-like context.
import { createServer } from 'node:http'

/**
 * A stand-in catalog: its first answer is a 503 (the mesh retries it); the user "stuck" never gets
 * an answer. It counts the requests it received and keeps their headers.
 */
export async function startCatalog() {
  const received = []
  let answered = 0
  const server = createServer((req, res) => {
    received.push({ url: req.url, headers: req.headers })
    if (req.url.includes('user=stuck')) return
    if (answered++ === 0) {
      res.statusCode = 503
      res.end('warming up')
      return
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ items: ['The Comedy of Errors', 'Hamlet'] }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    received,
    endpoints: { 'catalog.shop.internal': [{ address: '127.0.0.1', port: server.address().port }] },
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(resolve)
    }),
  }
}

/** An API Gateway HTTP API (payload 2.0) event for GET /recommendations. */
export function apiGatewayEvent(user, headers = {}) {
  return {
    version: '2.0',
    routeKey: 'GET /recommendations',
    rawPath: '/recommendations',
    rawQueryString: `user=${user}`,
    headers: { 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678', ...headers },
    requestContext: { http: { method: 'GET', path: '/recommendations', sourceIp: '203.0.113.7' }, requestId: 'local' },
    isBase64Encoded: false,
  }
}

/** A Lambda context whose function has `remainingMs` left. */
export function lambdaContext(remainingMs = 3000) {
  const endsAt = Date.now() + remainingMs
  return { functionName: 'recommendations', getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()) }
}
