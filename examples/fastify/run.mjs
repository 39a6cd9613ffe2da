#!/usr/bin/env node
// node examples/fastify/run.mjs — starts the example, makes two requests, prints what happened, stops.
import { startExample, tryIt } from './example.mjs'

const example = await startExample()
try {
  const { paid, hurried } = await tryIt(example.url)
  console.log('1. POST /checkout with traceparent and x-request-id')
  console.log(`   → ${paid.status} ${paid.body.status}; payments saw x-request-id ${paid.body.charge.seen['x-request-id']} and traceparent ${paid.body.charge.seen.traceparent}`)
  console.log('2. POST /checkout for a card payments never answers, with x-envoy-expected-rq-timeout-ms: 150')
  console.log(`   → ${hurried.status} ${hurried.body.status} (x-meshlet-reason: ${hurried.body.reason}): the got call stopped at the caller's 150 ms deadline, not the route's 5 s timeout`)
} finally {
  await example.close()
}
