#!/usr/bin/env node
// node examples/serverless/run.mjs — invokes the handler locally three times against a stand-in
// catalog, prints what happened, stops.
import { apiGatewayEvent, lambdaContext, startCatalog } from './local.mjs'

const catalog = await startCatalog()
process.env.MESHLET_ENDPOINTS = JSON.stringify(catalog.endpoints)
const { handler, closeMesh } = await import('./handler.mjs')
try {
  const first = await handler(apiGatewayEvent('jason'), lambdaContext())
  console.log(`1. ${first.statusCode} ${first.body}`)
  console.log(`   the catalog got ${catalog.received.length} requests: the mesh retried its 503; x-amzn-trace-id handed on: ${catalog.received[0].headers['x-amzn-trace-id'] !== undefined}`)
  const second = await handler(apiGatewayEvent('alice'), lambdaContext())
  console.log(`2. ${second.statusCode} ${second.body}   (same mesh, no cold start)`)
  const third = await handler(apiGatewayEvent('stuck'), lambdaContext(500))
  console.log(`3. ${third.statusCode} ${third.body}   (catalog hangs; the call ended before the function's 500 ms ran out)`)
} finally {
  await closeMesh()
  await catalog.close()
}
