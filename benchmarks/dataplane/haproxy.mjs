// A local HAProxy from the Debian packages as a sidecar hop: installed when missing, configured to
// listen on 127.0.0.1 only, started in the foreground as a child process and stopped by its PID.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The haproxy binary, installing the Debian package first when it is missing (through the
 * project's scripts/system-packages.sh, as the tests do); undefined when that fails.
 */
export function ensureHaproxy(log) {
  const found = which('haproxy')
  if (found) return found
  try {
    log('installing haproxy (bash scripts/system-packages.sh haproxy)')
    execFileSync('bash', [fileURLToPath(new URL('../../scripts/system-packages.sh', import.meta.url)), 'haproxy'], { stdio: ['ignore', 'ignore', 'inherit'] })
  } catch (error) {
    log(`could not install haproxy: ${error.message}`)
    return undefined
  }
  return which('haproxy') ?? (existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : undefined)
}

/**
 * The configuration both benchmarks' HAProxies share: one thread, HTTP keep-alive on both sides,
 * the timeouts; `forwardFor` adds x-forwarded-for as an edge proxy does.
 */
export function haproxyDefaults({ forwardFor = false } = {}) {
  return [
    'global',
    '  nbthread 1',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    ...(forwardFor ? ['  option forwardfor'] : []),
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 60s',
  ]
}

/**
 * Starts HAProxy in front of 127.0.0.1:upstreamPort, bound to 127.0.0.1 only, one thread, HTTP
 * keep-alive on both sides. Resolves with its port, version, pid and stop().
 */
export function startHaproxy(binary, upstreamPort) {
  return runHaproxy(binary, 'meshlet-bench-haproxy-', (port) => [
    ...haproxyDefaults(),
    'frontend sidecar',
    `  bind 127.0.0.1:${port}`,
    '  default_backend upstream',
    'backend upstream',
    '  http-reuse always',
    `  server upstream 127.0.0.1:${upstreamPort}`,
  ])
}

/**
 * Writes the configuration `configFor(port)` gives for a free port, checks it (`haproxy -c`), runs
 * HAProxy in the foreground as a child process and waits until it listens. Resolves with its port,
 * version, pid and stop() (SIGTERM to that PID).
 */
export async function runHaproxy(binary, tempPrefix, configFor) {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), tempPrefix))
  const config = join(dir, 'haproxy.cfg')
  writeFileSync(config, [...configFor(port), ''].join('\n'))
  const version = execFileSync(binary, ['-v'], { encoding: 'utf8' }).split('\n')[0]
  execFileSync(binary, ['-c', '-q', '-f', config])
  const child = spawn(binary, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForPort(port, child)
  return {
    port,
    version,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        process.kill(child.pid, 'SIGTERM')
      }),
  }
}

function which(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort(port, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with code ${child.exitCode}`)
    const open = await new Promise((resolve) => {
      const probe = connect(port, '127.0.0.1')
      probe.once('connect', () => {
        probe.destroy()
        resolve(true)
      })
      probe.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('haproxy did not start listening')
}
