// A function in the shape of an AWS Lambda handler behind an API Gateway HTTP API (payload 2.0).
// The mesh is created once per cold start and reused by every invocation the execution
// environment serves. Each invocation runs in an inbound context, so the calls it makes carry the
// request's trace headers (AWS X-Ray's x-amzn-trace-id included) and end before the function's
// own time runs out.
import { fileURLToPath } from 'node:url'
import { inboundContextFactory, runWithInboundContext } from '@meshlet/core'
import { inboundDeadline } from '@meshlet/resilience'
import { createMesh } from 'meshlet'

/**
 * Time kept back from the function's remaining time (context.getRemainingTimeInMillis()) so
 * that a call cut at the deadline still leaves time to answer before Lambda stops the function.
 */
export const FUNCTION_DEFAULTS = { answerMarginMs: 200 }

const RULES_DIR = fileURLToPath(new URL('./mesh/', import.meta.url))

// Cold start: runs once when the environment loads this module.
const ready = start()
let invocations = 0

async function start() {
  const mesh = await createMesh({ files: [RULES_DIR], labels: { app: 'recommendations' }, endpoints: endpointsFromEnvironment() })
  const contextFor = inboundContextFactory(mesh, { propagate: { add: ['x-amzn-trace-id'] }, readDeadline: inboundDeadline })
  return { mesh, contextFor }
}

/**
 * `MESHLET_ENDPOINTS` (JSON, as createMesh's `endpoints` option) replaces DNS for local runs and
 * tests; in Lambda it is unset and the ServiceEntry resolves the catalog by DNS.
 */
function endpointsFromEnvironment() {
  const text = process.env.MESHLET_ENDPOINTS
  return text ? JSON.parse(text) : undefined
}

export const handler = async (event, context) => {
  const { mesh, contextFor } = await ready
  const coldStart = invocations++ === 0
  const headers = { ...event.headers }
  const inbound = contextFor(headers, event.requestContext?.http?.sourceIp)
  const remainingMs = context?.getRemainingTimeInMillis?.()
  const functionDeadlineMs = remainingMs === undefined ? undefined : mesh.clock.now() + remainingMs - FUNCTION_DEFAULTS.answerMarginMs
  const deadlineMs = earlier(inbound.deadlineMs, functionDeadlineMs)

  return runWithInboundContext({ ...inbound, deadlineMs }, async () => {
    const user = new URLSearchParams(event.rawQueryString ?? '').get('user') ?? 'anonymous'
    const answer = await mesh.fetch(`http://catalog.shop.internal:8080/recommendations?user=${encodeURIComponent(user)}`)
    const body = answer.ok ? await answer.json() : { reason: answer.headers.get('x-meshlet-reason') ?? (await answer.text()) }
    return {
      statusCode: answer.ok ? 200 : answer.status,
      headers: { 'content-type': 'application/json', 'x-request-id': inbound.propagatedHeaders['x-request-id'] },
      body: JSON.stringify({ coldStart, user, ...body }),
    }
  })
}

/** For local runs and tests: Lambda freezes and discards the environment instead. */
export async function closeMesh() {
  const { mesh } = await ready
  await mesh.close()
}

function earlier(a, b) {
  if (a === undefined) return b
  if (b === undefined) return a
  return Math.min(a, b)
}
