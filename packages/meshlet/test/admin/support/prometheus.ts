import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitFor } from './free-port.js'

export const PROMETHEUS_BINARY = '/usr/bin/prometheus'

export interface PromSample {
  readonly metric: Readonly<Record<string, string>>
  readonly value: readonly [number, string]
}

export interface PrometheusServer {
  readonly url: string
  /** An instant PromQL query through the HTTP API; the result vector. */
  query(promql: string): Promise<readonly PromSample[]>
  /** Stops the server by its PID and removes its data directory. */
  close(): Promise<void>
}

/**
 * Starts Debian's Prometheus on 127.0.0.1 with a free port and a temporary directory, scraping
 * `target` (host:port) at `metricsPath` every second. Fails with the fix when the binary is missing
 * (scripts/system-packages.sh installs it; `pnpm test` runs that script first).
 */
export async function startPrometheus(target: string, metricsPath: string): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BINARY)) {
    throw new Error(`${PROMETHEUS_BINARY} not found: install Debian's prometheus package with \`bash scripts/system-packages.sh prometheus\` (pnpm test runs it)`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'meshlet-prometheus-'))
  const port = await freePort()
  const config = join(dir, 'prometheus.yml')
  await writeFile(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: meshlet',
      `    metrics_path: ${metricsPath}`,
      `    static_configs: [{ targets: ['${target}'] }]`,
      '',
    ].join('\n'),
  )
  const child = spawn(PROMETHEUS_BINARY, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const close = async () => {
    await stop(child, exited)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitFor('Prometheus to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`)
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined
    }, 20_000)
  } catch (error) {
    await close()
    throw error
  }
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)
      const body = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: PromSample[] } }
      if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error}`)
      return body.data.result
    },
    close,
  }
}

/** SIGTERM by PID, SIGKILL if it has not exited within 5 s. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  process.kill(child.pid, 'SIGTERM')
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
