import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where Debian's etcd-server package puts the binary (scripts/system-packages.sh installs it). */
export const ETCD_BINARY = '/usr/bin/etcd'

export interface EtcdServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string
  readonly clientPort: number
  readonly dataDir: string
  /** The process id while running. */
  readonly pid: number | undefined
  /** Stops the server (SIGTERM, by PID); its data stays for `start`. */
  stop(): Promise<void>
  /** Starts it again on the same ports with the same data. */
  start(): Promise<void>
  /** Stops it and removes its data. */
  close(): Promise<void>
}

/**
 * Runs the real etcd from Debian for a test: on 127.0.0.1, on free ports, with a temporary data
 * folder, stopped by its PID. Fails at once, saying how to install it, when /usr/bin/etcd is missing.
 */
export async function startEtcd(): Promise<EtcdServer> {
  if (!existsSync(ETCD_BINARY)) {
    throw new Error(`${ETCD_BINARY} is missing: these tests run the real etcd. Install it with \`bash scripts/system-packages.sh\` (apt-get install etcd-server etcd-client), which \`pnpm test\` runs first`)
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'meshlet-etcd-'))
  const [clientPort, peerPort] = [await freePort(), await freePort()]
  const endpoint = `http://127.0.0.1:${clientPort}`
  let child: ChildProcess | undefined
  let output = ''

  const start = async () => {
    output = ''
    child = spawn(
      ETCD_BINARY,
      [
        '--name', 'meshlet-test',
        '--data-dir', join(dataDir, 'data'),
        '--listen-client-urls', endpoint,
        '--advertise-client-urls', endpoint,
        '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-cluster', `meshlet-test=http://127.0.0.1:${peerPort}`,
        '--log-level', 'error',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child.stdout?.on('data', (chunk) => (output += String(chunk)))
    child.stderr?.on('data', (chunk) => (output += String(chunk)))
    await waitHealthy(endpoint, child, () => output)
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    process.kill(running.pid!, 'SIGTERM')
    await exited
  }

  await start()
  return {
    endpoint,
    clientPort,
    dataDir,
    get pid() {
      return child?.pid
    },
    stop,
    start,
    async close() {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function waitHealthy(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}:\n${output()}`)
    try {
      const response = await fetch(`${endpoint}/health`)
      if (response.ok && ((await response.json()) as { health?: string }).health === 'true') return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`etcd at ${endpoint} did not become healthy within 20 s:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}
