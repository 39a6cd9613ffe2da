// HAProxy with the same routing as the gateway: Host shop.example and a path under /items go to
// the upstream; /admin with x-admin: yes gets 403; anything else 404. Bound to 127.0.0.1, one
// thread, keep-alive both sides, in the foreground as a child process, stopped by its PID.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function startRoutingHaproxy(binary, upstreamPort) {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'meshlet-bench-gateway-haproxy-'))
  const config = join(dir, 'haproxy.cfg')
  writeFileSync(config, [
    'global',
    '  nbthread 1',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  option forwardfor',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 60s',
    'frontend gateway',
    `  bind 127.0.0.1:${port}`,
    '  acl shop hdr(host),field(1,:) -i shop.example',
    '  acl admin path_beg /admin',
    '  acl admin_header req.hdr(x-admin) -m str yes',
    '  acl items path_beg /items',
    '  http-request set-header x-forwarded-proto http',
    '  http-request return status 403 if shop admin admin_header',
    '  http-request return status 404 unless shop items',
    '  use_backend items',
    'backend items',
    '  http-reuse always',
    `  server items 127.0.0.1:${upstreamPort}`,
    '',
  ].join('\n'))
  const version = execFileSync(binary, ['-v'], { encoding: 'utf8' }).split('\n')[0]
  execFileSync(binary, ['-c', '-q', '-f', config])
  const child = spawn(binary, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForPort(port, child)
  return {
    port,
    version,
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      process.kill(child.pid, 'SIGTERM')
    }),
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
