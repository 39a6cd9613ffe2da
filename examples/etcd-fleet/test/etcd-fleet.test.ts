import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const script = fileURLToPath(new URL('../run.mjs', import.meta.url))

describe('examples/etcd-fleet', () => {
  it('routes the canary across self-registered instances, follows a rule change and a leaving instance, and fails no call', async () => {
    const { stdout } = await run(process.execPath, [script, '--seconds', '1', '--concurrency', '2'], { timeout: 60_000 })
    expect(stdout).toMatch(/reviews-v1-a \(v1\) serves 127\.0\.0\.2:\d+ and registered itself: \/meshlet\/workloads\/fleet\/reviews-v1-a/)
    const phases = stdout.split('\nPhase ').slice(1)
    expect(phases).toHaveLength(3)
    for (const phase of phases) expect(phase).toMatch(/failed: 0\n/)
    const share = (phase: string, version: string) => Number(phase.match(new RegExp(`${version}\\s+\\d+ calls\\s+([\\d.]+) %`))![1])
    expect(share(phases[0]!, 'v1')).toBeGreaterThan(75)
    expect(share(phases[1]!, 'v1')).toBeGreaterThan(35)
    expect(share(phases[1]!, 'v1')).toBeLessThan(65)
    expect(phases[2]).not.toContain('reviews-v1-b')
    expect(stdout).toContain('stopped: the four processes and etcd')
  }, 90_000)
})
