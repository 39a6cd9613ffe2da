import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

// A script whose only work is one mesh call must wait for its answer: Node exits as soon as nothing
// holds the event loop, and a call in a retry backoff or a fault delay holds nothing but the mesh's
// own timers. These run the built package (pnpm build) in a child process, as a user's script does.
const built = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

function runScript(body: string): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(built)) throw new Error(`${built} is missing: run pnpm build first`)
  const script = `import { createMesh } from ${JSON.stringify(pathToFileURL(built).href)}\n${body}`
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('a script whose only work is a mesh call', () => {
  it('waits through the retry backoffs of a refused endpoint and prints its 503', async () => {
    const port = await refusedPort()
    const run = runScript(`
const mesh = await createMesh({ endpoints: { refused: [{ address: '127.0.0.1', port: ${port} }] } })
const response = await mesh.fetch('http://refused/')
console.log(response.status, response.headers.get('x-meshlet-reason'))
await mesh.close()
`)
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('503 connect-failure')
    expect(run.status).toBe(0)
  })

  it('waits through an injected fault delay and prints the answer after it', async () => {
    const run = runScript(`
const mesh = await createMesh({
  yaml: \`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: slow }
spec:
  hosts: [slow]
  http:
  - fault:
      delay: { fixedDelay: 200ms, percentage: { value: 100 } }
      abort: { httpStatus: 418, percentage: { value: 100 } }
    route: [{ destination: { host: slow } }]
\`,
  endpoints: { slow: [{ address: '127.0.0.1', port: 9 }] },
})
const startedAt = performance.now()
const response = await mesh.request('http://slow/')
await response.body.dump?.()
console.log(response.statusCode, performance.now() - startedAt >= 200)
await mesh.close()
`)
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('418 true')
    expect(run.status).toBe(0)
  })

  it('exits at once when the mesh is closed, whatever timers its finished calls had', async () => {
    const run = runScript(`
const mesh = await createMesh({
  yaml: \`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: answer }
spec:
  hosts: [answer]
  http:
  - timeout: 60s
    directResponse: { status: 204 }
\`,
})
const response = await mesh.fetch('http://answer/')
console.log(response.status)
await mesh.close()
`)
    expect(run.stdout.trim()).toBe('204')
    expect(run.status).toBe(0)
  })
})
