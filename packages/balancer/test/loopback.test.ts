import { afterEach, describe, expect, it } from 'vitest'
import { createServer, request as httpRequest, Agent, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { seededRandom } from '@meshlet/core'
import { createBalancer, type BalancerConfig } from '@meshlet/balancer'

/** Loopback servers answering after a fixed delay; one of them is much slower. */
const servers: Server[] = []

async function startServer(delayMs: number): Promise<{ address: string; port: number }> {
  const server = createServer((_req, res) => setTimeout(() => res.end('ok'), delayMs))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { address: '127.0.0.1', port: (server.address() as AddressInfo).port }
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function drive(config: BalancerConfig, endpoints: Array<{ address: string; port: number }>, requests: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true })
  const balancer = createBalancer(config, endpoints, { random: seededRandom(101) })
  const counts = new Map<number, number>()
  let sent = 0
  const client = async () => {
    while (sent < requests) {
      sent++
      const endpoint = balancer.pick()!
      counts.set(endpoint.port, (counts.get(endpoint.port) ?? 0) + 1)
      balancer.onStart(endpoint)
      const started = performance.now()
      await new Promise<void>((resolve, reject) => {
        httpRequest({ host: endpoint.address, port: endpoint.port, path: '/', agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        }).on('error', reject).end()
      })
      balancer.onFinish(endpoint, performance.now() - started)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client))
  agent.destroy()
  return counts
}

describe('balancing real loopback servers', () => {
  it('PEAK_EWMA learns from real response times to keep traffic off a slow server', async () => {
    const fast = await Promise.all([startServer(1), startServer(1), startServer(1)])
    const slow = await startServer(150)
    const counts = await drive({ algorithm: 'PEAK_EWMA' }, [...fast, slow], 120, 4)
    // Round robin would send it 30 of the 120; peak EWMA stops after the first slow answers.
    expect(counts.get(slow.port) ?? 0).toBeLessThan(10)
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(120)
  })

  it('ROUND_ROBIN keeps sending the slow server its even share', async () => {
    const fast = await Promise.all([startServer(1), startServer(1), startServer(1)])
    const slow = await startServer(20)
    const counts = await drive({ algorithm: 'ROUND_ROBIN' }, [...fast, slow], 40, 2)
    expect(counts.get(slow.port)).toBe(10)
  })
})
