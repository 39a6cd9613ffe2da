import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeKubernetesApiServer, istioObject, serviceObject } from '@meshlet/testing'
import { runCli } from '../../src/cli/main.js'
import type { CliIO } from '../../src/cli/io.js'
import { temporaryFolder } from './support.js'

let api: FakeKubernetesApiServer
let folder: { path: string; cleanup: () => void }
let kubeconfig: string

beforeAll(async () => {
  api = await FakeKubernetesApiServer.start()
  folder = temporaryFolder()
  kubeconfig = api.writeKubeconfig(`${folder.path}/config`, { context: 'kind-dev' })
  api.apply(serviceObject('shop', 'reviews', [{ name: 'http', port: 9080 }], { app: 'reviews' }))
  api.apply(istioObject('DestinationRule', 'shop', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }))
  api.apply(istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] }, { route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] }))
})

afterAll(async () => {
  await api.close()
  folder.cleanup()
})

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: { write: (text) => void (stdout += text), isTTY: false }, stderr: { write: (text) => void (stderr += text), isTTY: false }, env: {} }
  const code = await runCli(argv, io)
  return { code, stdout, stderr }
}

describe('meshlet validate --kubernetes', () => {
  it('checks the rules the cluster holds, with no files', async () => {
    const run = await cli(['validate', '--kubernetes', '--kubeconfig', kubeconfig, '--context', 'kind-dev'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/✓ valid: 2 resources \(1 Service\) from https:\/\/127\.0\.0\.1:\d+ \(context "kind-dev" of .*\) checked/)
  })

  it('names an invalid cluster resource by its API path, namespace/name and field, and exits 1', async () => {
    api.apply(istioObject('VirtualService', 'shop', 'ratings', { hosts: ['ratings'], http: [{ timeout: '0s', route: [{ destination: { host: 'ratings' } }] }] }))
    try {
      const run = await cli(['validate', '--kubernetes', '--kubeconfig', kubeconfig])
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('kubernetes:/apis/networking.istio.io/v1/namespaces/shop/virtualservices/ratings  VirtualService shop/ratings  spec.http[0].timeout:')
    } finally {
      api.remove('networking.istio.io/v1', 'VirtualService', 'shop', 'ratings')
    }
  })

  it('says what to grant when the account may not read a kind', async () => {
    api.forbid({ resource: 'virtualservices' })
    try {
      const run = await cli(['validate', '--kubernetes', '--kubeconfig', kubeconfig])
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(/may not list virtualservices\.networking\.istio\.io in all namespaces \(403 Forbidden/)
    } finally {
      api.allowAll()
    }
  })

  it('wants files or --kubernetes, and --context only with --kubernetes', async () => {
    expect((await cli(['validate'])).stderr).toMatch(/needs at least one rules file or folder, or --kubernetes/)
    expect((await cli(['validate', 'x.yaml', '--context', 'dev'])).stderr).toMatch(/--context needs --kubernetes/)
  })
})

describe('meshlet explain --kubernetes', () => {
  it('explains a request with the live rules of the cluster', async () => {
    const run = await cli(['explain', '--kubernetes', '--kubeconfig', kubeconfig, '--namespace', 'shop', '--request', 'GET http://reviews:9080/reviews/1', '-H', 'end-user: jason', '--json'])
    expect(run.stderr).toBe('')
    const decision = JSON.parse(run.stdout) as { host: string; virtualService: string; selected: { subset: string } }
    expect(decision).toMatchObject({ host: 'reviews.shop.svc.cluster.local', virtualService: 'shop/reviews', selected: { subset: 'v2' } })
  })
})
