import { spawnSync } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { explain, loadMeshConfig } from '@meshlet/rules'
import { runCli } from '../src/cli/main.js'
import type { CliIO } from '../src/cli/io.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const exampleRules = join(repo, 'examples/rules/mesh')
const exampleCases = join(repo, 'examples/rules/cases.yaml')

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function cli(argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: { write: (text) => void (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text) => void (stderr += text), isTTY: options.tty ?? false },
    env: options.env ?? {},
  }
  const code = await runCli(argv, io)
  return { code, stdout, stderr }
}

const ESC = '\u001b['
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m

// Fixtures written once into a temporary folder.
let dir: string
const file = (name: string) => join(dir, name)
const FIXTURES: Record<string, string> = {
  'invalid.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: { host: reviews }
          weight: -5
        - destination: { host: reviews }
          weight: 10
    - route:
        - destination: { host: reviews }
`,
  'analysis.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
    - route:
        - destination: { host: ratings, subset: v9 }
`,
  'with-service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: ratings
spec: {}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
spec:
  host: ratings
`,
  'syntax.yaml': 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: [unclosed\n',
  'source-labels.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - name: from-productpage
      match:
        - sourceLabels: { app: productpage }
      route:
        - destination: { host: reviews, subset: v2 }
    - name: others
      route:
        - destination: { host: reviews, subset: v1 }
`,
  'mutual-tls.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
`,
  'failing-cases.yaml': `cases:
  - name: jason is routed to reviews v2
    request: { url: "http://reviews:9080/r/1", headers: { end-user: jason } }
    expect: { route: 0, selected: { subset: v2 } }
  - name: alice is routed to v2 as well
    request: { url: "http://reviews:9080/r/1", headers: { end-user: alice } }
    expect:
      route: jason-to-v2
      selected: { host: reviews, subset: v2 }
  - name: an unparsable URL
    request: { url: "not a url" }
    expect: { action: route }
`,
  'partial-cases.yaml': `- name: only jason
  request: { url: "http://reviews/r/1", headers: { end-user: jason } }
  expect: { virtualService: default/reviews, route: { index: 0, name: jason-to-v2 } }
- name: nothing matches a host with no route
  request: { url: "http://productpage/healthz", method: DELETE }
  expect: { route: pages }
`,
  'broken-cases.yaml': `cases:
  - name: a case with a typo
    request: { url: "http://reviews/" }
    expcet: { route: 0 }
`,
  'no-route.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
spec:
  hosts: [api]
  http:
    - match:
        - uri: { prefix: /v1/ }
      route:
        - destination: { host: api }
`,
  'no-route-cases.yaml': `- name: a path no route matches is answered 404
  request: { url: "http://api/v2/x" }
  expect: { action: noRoute, status: 404, route: null }
- name: a matching path goes to the API
  request: { url: "http://api/v1/x" }
  expect: { action: route, status: 404 }
`,
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshlet-cli-'))
  for (const [name, text] of Object.entries(FIXTURES)) await writeFile(file(name), text)
  await mkdir(file('empty-folder'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('meshlet validate', () => {
  it('exits 0 and says the example rules are valid', async () => {
    const run = await cli(['validate', exampleRules])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^✓ valid: 5 files checked: 0 errors, 0 warnings\n$/m)
  })

  it('exits 1 and prints each error as file:line:col  Kind ns/name  path: message', async () => {
    const run = await cli(['validate', file('invalid.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`${file('invalid.yaml')}:10:19  VirtualService default/reviews  spec.http[0].route[0].weight: `)
    expect(run.stdout).toMatch(/✗ invalid: 1 file checked: 1 error, 1 warning/)
  })

  it('lists errors first, then warnings, then the summary', async () => {
    const { stdout } = await cli(['validate', file('invalid.yaml')])
    const errors = stdout.indexOf('Errors (1)')
    const warnings = stdout.indexOf('Warnings (1)')
    expect(errors).toBeGreaterThanOrEqual(0)
    expect(warnings).toBeGreaterThan(errors)
    expect(stdout.indexOf(':13:7  VirtualService default/reviews  spec.http[1]')).toBeGreaterThan(warnings)
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^✗ invalid/)
  })

  it('keeps analysis findings as warnings (exit 0) until --strict makes them errors (exit 1)', async () => {
    const relaxed = await cli(['validate', file('analysis.yaml')])
    expect(relaxed.code).toBe(0)
    expect(relaxed.stdout).toContain('Warnings (1)')
    expect(relaxed.stdout).toContain('subset "v9"')
    const strict = await cli(['validate', file('analysis.yaml'), '--strict'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toContain('Errors (1)')
    expect(strict.stdout).toMatch(/✗ invalid: 1 file checked \(strict\): 1 error, 0 warnings/)
  })

  it('mentions notes about skipped kinds, and lists them with --verbose', async () => {
    const quiet = await cli(['validate', file('with-service.yaml')])
    expect(quiet.code).toBe(0)
    expect(quiet.stdout).not.toContain('skipped v1 Service')
    expect(quiet.stdout).toContain('1 note (--verbose shows them)')
    const verbose = await cli(['validate', file('with-service.yaml'), '--verbose'])
    expect(verbose.stdout).toContain('Notes (1)')
    expect(verbose.stdout).toContain(`${file('with-service.yaml')}:2:7  kind: skipped v1 Service`)
  })

  it('prints the findings as JSON with --json', async () => {
    const run = await cli(['validate', file('invalid.yaml'), '--json'])
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as { ok: boolean; errors: number; diagnostics: Array<Record<string, unknown>> }
    expect(report.ok).toBe(false)
    expect(report.errors).toBe(1)
    expect(report.diagnostics[0]).toMatchObject({ severity: 'error', file: file('invalid.yaml'), line: 10, column: 19, field: 'spec.http[0].route[0].weight', resource: { kind: 'VirtualService', namespace: 'default', name: 'reviews' } })
  })

  it('reports a YAML syntax error at its position and a missing file, without a stack trace', async () => {
    const run = await cli(['validate', file('syntax.yaml'), file('missing.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(new RegExp(`${escape(file('syntax.yaml'))}:\\d+:\\d+  \\S`))
    expect(run.stdout).toContain(`${file('missing.yaml')}  cannot read: no such file or folder`)
    expect(run.stdout + run.stderr).not.toMatch(STACK_LINE)
  })

  it('fails when a folder holds no rule files', async () => {
    const run = await cli(['validate', file('empty-folder')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('no rule files (.yaml, .yml, .json) found')
  })
})

describe('meshlet explain', () => {
  it('prints the decision for a request with headers', async () => {
    const run = await cli(['explain', exampleRules, '--request', 'GET http://reviews:9080/reviews/0', '-H', 'end-user: jason'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('GET http://reviews:9080/reviews/0  end-user: jason')
    expect(run.stdout).toMatch(/rule +VirtualService default\/reviews, route http\[0\] "jason-to-v2"/)
    expect(run.stdout).toMatch(/selected +reviews\.default\.svc\.cluster\.local:9080 subset v2/)
  })

  it('shows the weighted split, the timeout and the retries of the canary route', async () => {
    const { stdout } = await cli(['explain', exampleRules, '-r', 'http://reviews:9080/reviews/0'])
    expect(stdout).toMatch(/destinations +reviews\.default\.svc\.cluster\.local subset v1 +weight 90 \(90\.0%\)/)
    expect(stdout).toMatch(/timeout +2000 ms/)
    expect(stdout).toMatch(/retries +up to 2 on connect-failure,refused-stream,retriable-status-codes \(503\), each try 800 ms/)
  })

  it('prints with --json exactly what explain() returns for the same seed', async () => {
    const run = await cli(['explain', exampleRules, '--request', 'GET http://reviews:9080/reviews/0', '--json', '--seed', '7'])
    expect(run.code).toBe(0)
    const { snapshot } = await loadMeshConfig({ files: [exampleRules] })
    const expected = explain(snapshot!, { method: 'GET', url: 'http://reviews:9080/reviews/0', headers: {} }, { random: seededRandom(7) })
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(expected)))
  })

  it('passes --labels to sourceLabels matches and --namespace to short names', async () => {
    const asProductpage = await cli(['explain', file('source-labels.yaml'), '-r', 'http://reviews/', '--labels', 'app=productpage,version=v1', '--json'])
    expect(JSON.parse(asProductpage.stdout)).toMatchObject({ route: { name: 'from-productpage' }, selected: { subset: 'v2' } })
    const asOther = await cli(['explain', file('source-labels.yaml'), '-r', 'http://reviews/', '--json'])
    expect(JSON.parse(asOther.stdout)).toMatchObject({ route: { name: 'others' } })
    const inBookinfo = await cli(['explain', file('source-labels.yaml'), '-r', 'http://reviews/', '--namespace', 'bookinfo', '--json'])
    expect(JSON.parse(inBookinfo.stdout)).toMatchObject({ host: 'reviews.bookinfo.svc.cluster.local', virtualService: 'bookinfo/reviews' })
  })

  it('says a request it cannot parse is bad input (exit 1), without a stack trace', async () => {
    const run = await cli(['explain', exampleRules, '--request', 'GET not-a-url'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^meshlet explain: .+/)
    expect(run.stderr).not.toMatch(STACK_LINE)
    expect(run.stderr).not.toContain('please report')
  })

  it('prints the errors and exits 1 when the rules do not compile', async () => {
    const run = await cli(['explain', file('invalid.yaml'), '-r', 'http://reviews/'])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('spec.http[0].route[0].weight')
    expect(run.stderr).toContain('the rules do not compile (1 error)')
  })

  it('needs --request and a well-formed -H (exit 2 with the usage)', async () => {
    const noRequest = await cli(['explain', exampleRules])
    expect(noRequest.code).toBe(2)
    expect(noRequest.stderr).toBe('meshlet: explain: needs --request "METHOD URL"\nusage: meshlet explain <files or folders...> --request "METHOD URL" [-H "name: value"]... [--json] [--namespace ns] [--labels k=v,...] [--seed n]  (see "meshlet explain --help")\n')
    const badHeader = await cli(['explain', exampleRules, '-r', 'http://reviews/', '-H', 'jason'])
    expect(badHeader.code).toBe(2)
    expect(badHeader.stderr).toContain('-H takes "name: value", got "jason"')
  })
})

describe('meshlet check', () => {
  it('passes every example case and reaches every route', async () => {
    const run = await cli(['check', exampleRules, '--tests', exampleCases, '--coverage'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('✓ jason is routed to reviews v2')
    expect(run.stdout).toMatch(/✓ 13 cases passed, 0 failed/)
    expect(run.stdout).toContain('Route coverage: 9 of 9 routes reached (100.0%)')
  })

  it('exits 1 and shows, for each failing case, what differs', async () => {
    const run = await cli(['check', exampleRules, '--tests', file('failing-cases.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('✓ jason is routed to reviews v2')
    expect(run.stdout).toContain(`✗ alice is routed to v2 as well  (${file('failing-cases.yaml')}:5; GET http://reviews:9080/r/1)`)
    expect(run.stdout).toContain('    route.name\n      - expected: "jason-to-v2"\n      + actual:   "canary-v3"')
    expect(run.stdout).toContain('    selected.subset\n      - expected: "v2"\n')
    expect(run.stdout).toMatch(/✗ an unparsable URL[^\n]*\n    explain failed: /)
    expect(run.stdout).toMatch(/✗ 1 case passed, 2 failed/)
  })

  it('lists the routes no case reached, by VirtualService and index, with the share reached', async () => {
    const run = await cli(['check', exampleRules, '--tests', file('partial-cases.yaml'), '--coverage'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Route coverage: 2 of 9 routes reached (22.2%)')
    expect(run.stdout).toMatch(/VirtualService default\/reviews +http\[1\] +"canary-v3"/)
    expect(run.stdout).not.toMatch(/VirtualService default\/reviews +http\[0\]/)
    expect(run.stdout).not.toMatch(/VirtualService default\/productpage +http\[3\]/)
  })

  it('fails when coverage is under --fail-under', async () => {
    const run = await cli(['check', exampleRules, '--tests', file('partial-cases.yaml'), '--fail-under', '50'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('reached (22.2%), required 50%')
  })

  it('compares the status the rules answer with, 404 when no route matches', async () => {
    const run = await cli(['check', file('no-route.yaml'), '--tests', file('no-route-cases.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('✓ a path no route matches is answered 404')
    expect(run.stdout).toContain('    status  the answer comes from the upstream, not from the rules\n      - expected: 404\n      + actual:   null')
  })

  it('prints the results as JSON with --json', async () => {
    const run = await cli(['check', exampleRules, '--tests', file('failing-cases.yaml'), '--json', '--coverage'])
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as { ok: boolean; passed: number; failed: number; cases: Array<{ name: string; ok: boolean; mismatches: unknown[] }>; coverage: { total: number } }
    expect(report).toMatchObject({ ok: false, passed: 1, failed: 2, coverage: { total: 9 } })
    expect(report.cases[1]).toMatchObject({ name: 'alice is routed to v2 as well', ok: false })
    expect(report.cases[1]!.mismatches).toContainEqual({ path: 'selected.subset', expected: 'v2', actual: 'v1' })
  })

  it('refuses a cases file with problems, naming each, and runs nothing', async () => {
    const run = await cli(['check', exampleRules, '--tests', file('broken-cases.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(`${file('broken-cases.yaml')}:4:5  cases[0].expcet: unknown field`)
    expect(run.stderr).toContain('no case was run')
  })

  it('reports an unreadable cases file as bad input and a missing --tests as a usage error', async () => {
    const missing = await cli(['check', exampleRules, '--tests', file('nope.yaml')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^meshlet check: ENOENT/)
    const noTests = await cli(['check', exampleRules])
    expect(noTests.code).toBe(2)
    expect(noTests.stderr).toContain('check: needs --tests cases.yaml')
  })
})

describe('meshlet fidelity', () => {
  it('lists each field in use with its status and exits 0', async () => {
    const run = await cli(['fidelity', exampleRules])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/VirtualService default\/reviews {2}\(.*reviews\.yaml\)/)
    expect(run.stdout).toMatch(/honored +\d+:\d+ +spec\.http\[1\]\.timeout/)
  })

  it('exits 1 under --strict when a field in use is ignored', async () => {
    const relaxed = await cli(['fidelity', file('mutual-tls.yaml')])
    expect(relaxed.code).toBe(0)
    expect(relaxed.stdout).toMatch(/ignored +\d+:\d+ +spec\.trafficPolicy\.tls\.mode/)
    const strict = await cli(['fidelity', file('mutual-tls.yaml'), '--strict'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toContain('✗ strict: meshlet ignores 1 field in use')
  })

  it('prints the report as JSON with --json', async () => {
    const run = await cli(['fidelity', file('mutual-tls.yaml'), '--json', '--strict'])
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as { ok: boolean; summary: { ignored: number }; entries: Array<{ field: string; status: string }> }
    expect(report.ok).toBe(false)
    expect(report.summary.ignored).toBe(1)
    expect(report.entries).toContainEqual(expect.objectContaining({ field: 'spec.trafficPolicy.tls.mode', status: 'ignored' }))
  })
})

describe('help and usage errors', () => {
  it('lists every command with --help', async () => {
    const run = await cli(['--help'])
    expect(run.code).toBe(0)
    for (const command of ['validate', 'explain', 'check', 'fidelity']) expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'))
  })

  it('prints the usage and options of each command with --help, even without its arguments', async () => {
    for (const command of ['validate', 'explain', 'check', 'fidelity']) {
      const run = await cli([command, '--help'])
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(`usage: meshlet ${command} <files or folders...>`)
      expect(run.stdout).toContain('-h, --help')
    }
    expect((await cli(['help', 'check'])).stdout).toContain('--fail-under percent')
  })

  it('prints the version', async () => {
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('answers no arguments with the help on stderr and exit 2', async () => {
    const run = await cli([])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('usage: meshlet <command>')
  })

  it('exits 2 with one line saying what is wrong, then the usage', async () => {
    const unknownCommand = await cli(['frobnicate', 'x'])
    expect(unknownCommand.code).toBe(2)
    expect(unknownCommand.stderr.split('\n')[0]).toMatch(/^meshlet: unknown command "frobnicate"; the commands are validate, explain, check, fidelity\b/)
    const unknownOption = await cli(['validate', exampleRules, '--frobnicate'])
    expect(unknownOption.code).toBe(2)
    expect(unknownOption.stderr.split('\n')).toEqual(['meshlet: validate: unknown option --frobnicate', 'usage: meshlet validate <files or folders...> [--strict] [--namespace ns] [--json] [--verbose]  (see "meshlet validate --help")', ''])
    const noFiles = await cli(['fidelity'])
    expect(noFiles.code).toBe(2)
    expect(noFiles.stderr).toContain('fidelity: needs at least one rules file or folder')
  })
})

describe('output', () => {
  it('uses colours on a terminal only, and never with NO_COLOR set', async () => {
    expect((await cli(['validate', exampleRules], { tty: true })).stdout).toContain(ESC)
    expect((await cli(['validate', exampleRules], { tty: false })).stdout).not.toContain(ESC)
    expect((await cli(['validate', exampleRules], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC)
  })

  it('turns an unexpected error into a short message asking for a report, without a stack trace', async () => {
    let stderr = ''
    const io: CliIO = {
      stdout: { write: () => { throw new TypeError('stdout went away') } },
      stderr: { write: (text) => void (stderr += text) },
      env: {},
    }
    expect(await runCli(['validate', exampleRules], io)).toBe(1)
    expect(stderr).toContain('meshlet validate: internal error: stdout went away')
    expect(stderr).toContain('please report it')
    expect(stderr).not.toMatch(STACK_LINE)
  })
})

describe('the built command (bin/meshlet.js, after pnpm build)', () => {
  const bin = join(repo, 'packages/meshlet/bin/meshlet.js')
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

  it('validates the example rules with exit 0 and rejects bad arguments with exit 2', () => {
    const ok = run(['validate', 'examples/rules/mesh'])
    expect(ok.stderr).toBe('')
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain('✓ valid: 5 files checked')
    const bad = run(['validate'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('usage: meshlet validate')
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
