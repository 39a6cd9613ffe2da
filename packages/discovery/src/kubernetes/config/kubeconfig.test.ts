import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMeshError } from '@meshlet/core'
import { FakeClock } from '@meshlet/testing'
import { resolveClusterAccess } from './kubeconfig.js'

let folder: string
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'meshlet-kubeconfig-'))
})
afterEach(() => rmSync(folder, { recursive: true, force: true }))

const CONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority-data: ${Buffer.from('CA PEM').toString('base64')}
- name: prod-cluster
  cluster:
    server: https://prod:6443
    certificate-authority: certs/ca.crt
    tls-server-name: kubernetes.default
users:
- name: dev-user
  user:
    token: dev-token
- name: prod-user
  user:
    tokenFile: token
contexts:
- name: dev
  context: { cluster: dev-cluster, user: dev-user, namespace: shop }
- name: prod
  context: { cluster: prod-cluster, user: prod-user }
`

const clock = new FakeClock()
const noCluster = {}

describe('resolveClusterAccess', () => {
  it('reads the current context: server, CA data, bearer token and namespace', async () => {
    const path = join(folder, 'config')
    writeFileSync(path, CONFIG)
    const access = resolveClusterAccess({ kubeconfig: path }, clock, noCluster)
    expect(access.server).toBe('https://10.0.0.1:6443')
    expect(access.ca).toBe('CA PEM')
    expect(access.namespace).toBe('shop')
    expect(await access.authorization()).toBe('Bearer dev-token')
    expect(access.description).toContain('context "dev"')
  })

  it('reads another context, with files relative to the kubeconfig', async () => {
    mkdirSync(join(folder, 'certs'))
    writeFileSync(join(folder, 'certs/ca.crt'), 'PROD CA')
    writeFileSync(join(folder, 'token'), 'prod-token\n')
    const path = join(folder, 'config')
    writeFileSync(path, CONFIG)
    const access = resolveClusterAccess({ kubeconfig: path, context: 'prod' }, clock, noCluster)
    expect(access.ca).toBe('PROD CA')
    expect(access.serverName).toBe('kubernetes.default')
    expect(await access.authorization()).toBe('Bearer prod-token')
  })

  it('merges the files of $KUBECONFIG, the first to name something winning', () => {
    const first = join(folder, 'a')
    const second = join(folder, 'b')
    writeFileSync(first, 'apiVersion: v1\nkind: Config\ncurrent-context: prod\n')
    writeFileSync(second, CONFIG)
    mkdirSync(join(folder, 'certs'))
    writeFileSync(join(folder, 'certs/ca.crt'), 'PROD CA')
    const access = resolveClusterAccess({}, clock, { KUBECONFIG: `${first}:${join(folder, 'missing')}:${second}` })
    expect(access.server).toBe('https://prod:6443')
  })

  it('prefers the in-cluster service account when nothing is named', async () => {
    const serviceAccount = join(folder, 'sa')
    mkdirSync(serviceAccount)
    writeFileSync(join(serviceAccount, 'token'), 'pod-token')
    writeFileSync(join(serviceAccount, 'ca.crt'), 'CLUSTER CA')
    writeFileSync(join(serviceAccount, 'namespace'), 'shop')
    const { inClusterAccess } = await import('./in-cluster.js')
    const access = inClusterAccess({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, clock, serviceAccount)!
    expect(access.server).toBe('https://10.96.0.1:443')
    expect(access.ca).toBe('CLUSTER CA')
    expect(access.namespace).toBe('shop')
    expect(await access.authorization()).toBe('Bearer pod-token')
  })

  it('re-reads a rotated token file after a 401', async () => {
    const path = join(folder, 'config')
    writeFileSync(path, CONFIG)
    writeFileSync(join(folder, 'token'), 'old')
    mkdirSync(join(folder, 'certs'))
    writeFileSync(join(folder, 'certs/ca.crt'), 'x')
    const access = resolveClusterAccess({ kubeconfig: path, context: 'prod' }, clock, noCluster)
    expect(await access.authorization()).toBe('Bearer old')
    writeFileSync(join(folder, 'token'), 'new')
    expect(await access.authorization()).toBe('Bearer old')
    access.invalidate()
    expect(await access.authorization()).toBe('Bearer new')
  })

  it('runs an exec credential plugin and uses its token', async () => {
    const plugin = join(folder, 'plugin.sh')
    writeFileSync(plugin, '#!/bin/sh\necho \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}\'\n', { mode: 0o755 })
    const path = join(folder, 'config')
    writeFileSync(path, CONFIG.replace('    token: dev-token', `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}`))
    const access = resolveClusterAccess({ kubeconfig: path }, clock, noCluster)
    expect(await access.authorization()).toBe('Bearer from-plugin')
  })

  it('says which context is missing and which exist', () => {
    const path = join(folder, 'config')
    writeFileSync(path, CONFIG)
    expect(() => resolveClusterAccess({ kubeconfig: path, context: 'staging' }, clock, noCluster)).toThrow(/no context "staging" \(defined: dev, prod\)/)
  })

  it('fails with MESHLET_ERR_KUBECONFIG_INVALID for a missing or malformed file', () => {
    const missing = (() => {
      try {
        resolveClusterAccess({ kubeconfig: join(folder, 'nope') }, clock, noCluster)
      } catch (error) {
        return error
      }
    })()
    expect(isMeshError(missing, 'MESHLET_ERR_KUBECONFIG_INVALID')).toBe(true)
    writeFileSync(join(folder, 'bad'), 'clusters: [unclosed')
    expect(() => resolveClusterAccess({ kubeconfig: join(folder, 'bad') }, clock, noCluster)).toThrow(/not valid YAML/)
  })
})
