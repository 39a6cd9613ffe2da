import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiGatewayEvent, lambdaContext, startCatalog } from '../local.mjs'

type Catalog = Awaited<ReturnType<typeof startCatalog>>
type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>

let catalog: Catalog
let handler: Handler
let closeMesh: () => Promise<void>

beforeAll(async () => {
  catalog = await startCatalog()
  process.env.MESHLET_ENDPOINTS = JSON.stringify(catalog.endpoints)
  // The module is loaded once for the file: one cold start, as in one Lambda environment.
  ;({ handler, closeMesh } = (await import('../handler.mjs')) as unknown as { handler: Handler; closeMesh: () => Promise<void> })
})

afterAll(async () => {
  await closeMesh()
  await catalog.close()
  delete process.env.MESHLET_ENDPOINTS
})

describe('the serverless example', () => {
  it('answers the first invocation after the mesh retried the catalog\'s 503, handing the trace header on', async () => {
    const answer = await handler(apiGatewayEvent('jason', { 'x-request-id': 'apigw-1' }), lambdaContext())
    expect(answer.statusCode).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ coldStart: true, user: 'jason', items: ['The Comedy of Errors', 'Hamlet'] })
    expect(catalog.received).toHaveLength(2)
    expect(catalog.received[1]!.headers['x-amzn-trace-id']).toBe('Root=1-67891233-abcdef012345678912345678')
    expect(catalog.received[1]!.headers['x-request-id']).toBe('apigw-1')
  })

  it('reuses the mesh of the cold start on the next invocation', async () => {
    const answer = await handler(apiGatewayEvent('alice'), lambdaContext())
    expect(JSON.parse(answer.body)).toMatchObject({ coldStart: false, user: 'alice' })
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('ends a call to a hung catalog before the function runs out of time', async () => {
    const answer = await handler(apiGatewayEvent('stuck'), lambdaContext(400))
    expect(answer.statusCode).toBe(504)
    expect(JSON.parse(answer.body)).toMatchObject({ reason: 'timeout' })
  })
})
