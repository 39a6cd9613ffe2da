// Runs etcd for the example: installs it from Debian when it is missing (saying so), starts it on
// 127.0.0.1 with free ports and a temporary data folder, and stops it by its PID.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ETCD = '/usr/bin/etcd'
const INSTALLER = fileURLToPath(new URL('../../scripts/system-packages.sh', import.meta.url))

export function ensureEtcd(log) {
  if (existsSync(ETCD)) return
  log(`etcd is not installed: installing it from Debian (bash scripts/system-packages.sh etcd-server etcd-client, which runs apt-get) ...`)
  const result = spawnSync('bash', [INSTALLER, 'etcd-server', 'etcd-client'], { stdio: 'inherit' })
  if (result.status !== 0 || !existsSync(ETCD)) throw new Error(`could not install etcd (exit ${result.status}); install the Debian package etcd-server and run again`)
  log('etcd installed.')
}

export async function startEtcd() {
  const dataDir = mkdtempSync(join(tmpdir(), 'meshlet-etcd-fleet-'))
  const [clientPort, peerPort] = [await freePort(), await freePort()]
  const endpoint = `http://127.0.0.1:${clientPort}`
  const child = spawn(ETCD, [
    '--name', 'fleet', '--data-dir', join(dataDir, 'data'), '--log-level', 'error',
    '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
    '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
    '--initial-cluster', `fleet=http://127.0.0.1:${peerPort}`,
  ], { stdio: 'ignore' })
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}`)
    const healthy = await fetch(`${endpoint}/health`).then((r) => r.json()).then((b) => b.health === 'true', () => false)
    if (healthy) break
    if (i > 400) throw new Error('etcd did not start within 20 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    endpoint,
    pid: child.pid,
    /** Writes a key, as `etcdctl put` would (through etcd's v3 JSON gateway). */
    async put(key, value) {
      const b64 = (text) => Buffer.from(text).toString('base64')
      const response = await fetch(`${endpoint}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) })
      if (!response.ok) throw new Error(`put ${key}: ${response.status}`)
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        process.kill(child.pid, 'SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}
