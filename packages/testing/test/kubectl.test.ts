import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeKubernetesApiServer, endpointSliceObject, istioObject, serviceObject } from '../src/index.js'

const run = promisify(execFile)
const KUBECTL = '/usr/bin/kubectl'

let api: FakeKubernetesApiServer
let folder: string
let kubeconfig: string

beforeAll(async () => {
  if (!existsSync(KUBECTL)) throw new Error(`${KUBECTL} is missing: these tests check the fake API server against the real kubectl (apt-get install kubectl)`)
  api = await FakeKubernetesApiServer.start({ bookmarkIntervalMs: 200 })
  folder = mkdtempSync(join(tmpdir(), 'meshlet-kubectl-'))
  kubeconfig = api.writeKubeconfig(join(folder, 'config'), { namespace: 'shop' })
  api.apply(serviceObject('shop', 'reviews', [{ name: 'http', port: 9080 }], { app: 'reviews' }))
  api.apply(endpointSliceObject('shop', 'reviews-abc', 'reviews', [{ name: 'http', port: 9080 }], [{ address: '127.0.0.2', podName: 'reviews-1' }]))
  api.apply(istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }))
  api.apply(istioObject('DestinationRule', 'shop', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }, 'v1beta1'))
})

afterAll(async () => {
  await api?.close()
  if (folder) rmSync(folder, { recursive: true, force: true })
})

function kubectl(...args: string[]) {
  return run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(folder, 'cache'), ...args], { timeout: 15_000 })
}

describe('the fake API server, as the real kubectl sees it', () => {
  it('serves kubectl get endpointslices over TLS from its generated CA, with the columns of the real server', async () => {
    const { stdout } = await kubectl('get', 'endpointslices')
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/)
    expect(stdout).toMatch(/reviews-abc\s+IPv4\s+9080\s+127\.0\.0\.2/)
  })

  it('serves Istio custom resources by name and short name, at every version Istio serves', async () => {
    expect((await kubectl('get', 'virtualservices')).stdout).toMatch(/reviews\s+\["reviews"\]/)
    expect((await kubectl('get', 'vs')).stdout).toMatch(/reviews/)
    const rule = JSON.parse((await kubectl('get', 'destinationrules.v1alpha3.networking.istio.io', 'reviews', '-o', 'json')).stdout) as { apiVersion: string; spec: unknown }
    expect(rule.apiVersion).toBe('networking.istio.io/v1alpha3')
    expect(rule.spec).toEqual({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] })
  })

  it('streams changes to kubectl get endpointslices -w', async () => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(folder, 'cache'), 'get', 'endpointslices', '-w'])
    let output = ''
    child.stdout.on('data', (chunk) => (output += String(chunk)))
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`kubectl -w never printed ${pattern}; got:\n${output}`)), 10_000)
        const check = setInterval(() => {
          if (pattern.test(output)) {
            clearInterval(check)
            clearTimeout(deadline)
            resolve()
          }
        }, 20)
      })
    try {
      await seen(/reviews-abc\s+IPv4\s+9080\s+127\.0\.0\.2\s/)
      api.apply(endpointSliceObject('shop', 'reviews-abc', 'reviews', [{ name: 'http', port: 9080 }], [{ address: '127.0.0.2' }, { address: '127.0.0.3' }]))
      await seen(/127\.0\.0\.2,127\.0\.0\.3/)
      api.apply(endpointSliceObject('shop', 'ratings-xyz', 'ratings', [{ name: 'http', port: 9080 }], [{ address: '127.0.0.9' }]))
      await seen(/ratings-xyz\s+IPv4\s+9080\s+127\.0\.0\.9/)
    } finally {
      child.kill()
    }
  })

  it('refuses a wrong token with 401, which kubectl reports as Unauthorized', async () => {
    const wrong = api.writeKubeconfig(join(folder, 'wrong'), { token: 'not-the-token' })
    const failure = await run(KUBECTL, ['--kubeconfig', wrong, 'get', 'endpointslices'], { timeout: 15_000 }).catch((error: { stderr: string }) => error)
    expect((failure as { stderr: string }).stderr).toMatch(/Unauthorized|must be logged in/)
  })

  it('refuses a forbidden list with 403 as RBAC does, which kubectl prints', async () => {
    api.forbid({ resource: 'endpointslices', verb: 'list' })
    try {
      const failure = await kubectl('get', 'endpointslices').catch((error: { stderr: string }) => error)
      expect((failure as { stderr: string }).stderr).toMatch(/endpointslices\.discovery\.k8s\.io is forbidden: User ".*" cannot list resource "endpointslices" in API group "discovery\.k8s\.io" in the namespace "shop"/)
    } finally {
      api.allowAll()
    }
  })
})
