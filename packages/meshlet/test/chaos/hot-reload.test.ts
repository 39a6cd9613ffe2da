import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { at, failOnEscapedErrors, mesh, recordEvents, refusing, refusingPort, upstream } from './support.js'

// Resilience settings reloaded while calls are flowing: the new retries, timeouts and outlier
// thresholds apply to new calls, what outlier detection learned is kept, and no call fails.

failOnEscapedErrors()

const folders: string[] = []
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })))
})

async function rulesFile(text: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'meshlet-chaos-'))
  folders.push(folder)
  const file = join(folder, 'svc.yaml')
  await writeFile(file, text)
  return file
}

function rules(retries: string, outlierDetection: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc } }]
    retries: ${retries}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    outlierDetection: ${outlierDetection}
`
}

const VERSIONS = [
  rules('{ attempts: 2, retryOn: "connect-failure,reset" }', '{ consecutiveGatewayErrors: 1, consecutive5xxErrors: 0, baseEjectionTime: 300s, maxEjectionPercent: 50 }'),
  rules('{ attempts: 3, retryOn: "5xx,reset,connect-failure", perTryTimeout: 2s }', '{ consecutive5xxErrors: 2, baseEjectionTime: 200s, maxEjectionPercent: 50 }'),
]

describe('reloading resilience settings under load', () => {
  it('changes retries and outlier thresholds ten times while calls flow, without failing a call or forgetting an ejection', async () => {
    const clock = new FakeClock()
    const [good1, good2, flaky] = await Promise.all([
      upstream({ name: 'good1' }),
      upstream({ name: 'good2' }),
      upstream({ name: 'flaky', fallback: { reset: 'before-headers' } }),
    ])
    const dead = await refusingPort()
    const file = await rulesFile(VERSIONS[0]!)
    const m = await mesh({ clock, random: seededRandom(17), files: [file], endpoints: { svc: [at(good1), at(flaky), refusing(dead), at(good2)] } })
    const events = recordEvents(m, ['endpointEjected', 'configReloaded', 'configRejected'])

    let running = true
    let completed = 0
    const failures: string[] = []
    const worker = async () => {
      while (running) {
        const response = await m.fetch('http://svc/')
        if (response.status !== 200) failures.push(`${response.status} ${response.headers.get('x-meshlet-reason')}`)
        await response.arrayBuffer()
        completed++
      }
    }
    // Backoffs wait on the mesh clock: keep it moving in small steps while the workers run.
    const ticker = (async () => {
      while (running) await clock.tick(5)
    })()
    const workers = [worker(), worker(), worker()]

    const waitForCalls = async (count: number) => {
      const target = completed + count
      while (completed < target) await new Promise((resolve) => setImmediate(resolve))
    }
    const attemptsSeen: number[] = []
    for (let reload = 1; reload <= 10; reload++) {
      await waitForCalls(5)
      await writeFile(file, VERSIONS[reload % 2]!)
      expect(await m.reload()).toBe(true)
      attemptsSeen.push(m.snapshot.virtualServices[0]!.routes[0]!.retries.attempts)
    }
    await waitForCalls(10)
    running = false
    await Promise.all([...workers, ticker])

    expect(failures).toEqual([])
    expect(completed).toBeGreaterThanOrEqual(60)
    expect(attemptsSeen).toEqual([3, 2, 3, 2, 3, 2, 3, 2, 3, 2])
    expect(events.configReloaded).toHaveLength(10)
    expect(events.configRejected).toEqual([])
    // Both bad endpoints were ejected once, and stayed out through every reload.
    expect(events.endpointEjected.map((event) => event.endpoint).sort()).toEqual([flaky.authority, `127.0.0.1:${dead}`].sort())
    const flakyCalls = flaky.requests.length
    await Promise.all(Array.from({ length: 10 }, () => m.fetch('http://svc/').then((response) => response.arrayBuffer())))
    expect(flaky.requests).toHaveLength(flakyCalls)
  })

  it('ejects at the next error an endpoint that has already failed more often than a lowered threshold', async () => {
    const clock = new FakeClock()
    const [bad, good] = await Promise.all([upstream({ name: 'bad', fallback: { status: 500 } }), upstream({ name: 'good' })])
    const lenient = rules('{ attempts: 0 }', '{ consecutive5xxErrors: 10, maxEjectionPercent: 100 }').replace('trafficPolicy:', 'trafficPolicy:\n    loadBalancer: { simple: ROUND_ROBIN }')
    const file = await rulesFile(lenient)
    const m = await mesh({ clock, random: seededRandom(2), files: [file], endpoints: { svc: [at(bad), at(good)] } })
    const events = recordEvents(m, ['endpointEjected'])
    for (let i = 0; i < 10; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    expect(bad.requests).toHaveLength(5)
    expect(events.endpointEjected).toEqual([])

    await writeFile(file, lenient.replace('consecutive5xxErrors: 10', 'consecutive5xxErrors: 3'))
    expect(await m.reload()).toBe(true)
    for (let i = 0; i < 10; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    // Five 500s in a row already: the sixth, under a threshold of 3, ejects it.
    expect(events.endpointEjected).toMatchObject([{ endpoint: bad.authority, reason: 'consecutive-5xx' }])
    expect(bad.requests).toHaveLength(6)
  })
})
