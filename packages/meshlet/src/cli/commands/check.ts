/**
 * `meshlet check <files...> --tests cases.yaml [--coverage]`: route-table tests in the spirit of
 * Envoy's router check tool. Each case is explained and compared with the fields it expects; a
 * failing case prints what differs, and --coverage lists the routes no case reached.
 */
import { readFile } from 'node:fs/promises'
import { seededRandom } from '@meshlet/core'
import { explain } from '@meshlet/rules'
import type { MeshSnapshot } from '@meshlet/rules'
import { labelsOption, numberOption, usageError } from '../args.js'
import type { CommandSpec } from '../args.js'
import { parseCaseFile } from '../check/cases.js'
import type { CheckCase } from '../check/cases.js'
import { compareExpected } from '../check/compare.js'
import type { Mismatch } from '../check/compare.js'
import { allRoutes, measureCoverage, routeKey } from '../check/coverage.js'
import type { Coverage } from '../check/coverage.js'
import type { Command } from '../command.js'
import { formatCheckReport } from '../format-check.js'
import { json } from '../format.js'
import { loadSnapshot } from '../load.js'

const spec: CommandSpec = {
  name: 'check',
  summary: "route-table tests: requests and the decisions they expect, with coverage of the routes",
  usage: '<files or folders...> --tests cases.yaml [--coverage] [--fail-under percent] [--json] [--namespace ns] [--labels k=v,...] [--gateway ns/name]',
  minPositionals: 1,
  positionalName: 'rules file or folder',
  options: [
    { name: 'tests', short: 't', kind: 'value', valueName: 'cases.yaml', description: 'the test cases (see below)' },
    { name: 'coverage', short: 'c', kind: 'flag', description: 'list the routes no case reached, and the share reached' },
    { name: 'fail-under', kind: 'value', valueName: 'percent', description: 'also fail when route coverage is below this percentage (implies --coverage)' },
    { name: 'json', kind: 'flag', description: 'print the results as JSON' },
    { name: 'gateway', short: 'g', kind: 'value', valueName: 'namespace/name', description: 'explain requests as this Gateway (Istio or Gateway API) receives them: its VirtualServices, HTTPRoutes and servers' },
    { name: 'namespace', short: 'n', kind: 'value', valueName: 'ns', description: 'namespace this service runs in; short names expand with it (default: default)' },
    { name: 'labels', short: 'l', kind: 'list', valueName: 'k=v,...', description: "this service's labels, for sourceLabels matches" },
  ],
  details: [
    'A cases file is a list (at the top or under `cases:`) of:',
    '  - name: jason is routed to reviews v2',
    '    request: { method: GET, url: "http://reviews/r/1", headers: { end-user: jason } }',
    '    seed: 7          # optional: seeds the weighted pick behind `selected` (default 1)',
    '    expect:          # any fields of the explain decision; only these are compared',
    '      virtualService: default/reviews',
    '      route: 0       # index, name, { index, name }, or null for no route',
    '      action: route  # route | redirect | directResponse | noRoute | passthrough',
    '      selected: { host: reviews, subset: v2 }',
    '      status: 302    # redirect or direct response status; 404 for noRoute',
    'Also: destinations, redirect, directResponse, rewrite, timeoutMs, retries, fault, mirrors, headers.',
    'Short host names (reviews) mean the FQDN in the namespace (reviews.default.svc.cluster.local).',
    '',
    'Exit code: 0 when every case passes, 1 when one fails (or coverage is under --fail-under).',
    '',
    'Examples:',
    '  meshlet check examples/rules/mesh --tests examples/rules/cases.yaml --coverage',
    '  meshlet check examples/rules/mesh --tests examples/rules/cases.yaml --fail-under 90 --json',
  ],
}

export interface CaseResult {
  readonly case: CheckCase
  readonly mismatches: readonly Mismatch[]
  /** Set when explain() refused the request (for example an unparsable URL). */
  readonly error?: string
  readonly decision?: unknown
}

export const checkCommand: Command = {
  spec,
  async run(args, context) {
    const testsFile = args.value('tests')
    if (testsFile === undefined) throw usageError(spec.name, 'needs --tests cases.yaml')
    const failUnder = numberOption(args, spec, 'fail-under', { min: 0, max: 100 })
    const wantCoverage = args.flag('coverage') || failUnder !== undefined
    const labels = labelsOption(args, spec, 'labels')
    const { io, out, err } = context

    const parsed = parseCaseFile(await readFile(testsFile, 'utf8'), testsFile)
    if (parsed.problems.length > 0) {
      for (const problem of parsed.problems) io.stderr.write(`${problem}\n`)
      io.stderr.write(`${err.red('error')}: ${testsFile} has ${parsed.problems.length} problem(s); no case was run\n`)
      return 1
    }
    const snapshot = await loadSnapshot({ files: args.positionals, namespace: args.value('namespace'), labels, gateway: args.value('gateway') }, context)
    if (!snapshot) return 1

    const results = parsed.cases.map((c) => runCase(snapshot, c))
    const reached = new Set<string>()
    for (const r of results) {
      const d = r.decision as { virtualService?: unknown; route?: { index?: unknown } | null } | undefined
      if (typeof d?.virtualService === 'string' && typeof d.route?.index === 'number') reached.add(routeKey(d.virtualService, d.route.index))
    }
    const coverage: Coverage | undefined = wantCoverage ? measureCoverage(allRoutes(snapshot), reached) : undefined
    const failed = results.filter((r) => r.mismatches.length > 0 || r.error !== undefined).length
    const coverageFailed = failUnder !== undefined && coverage !== undefined && coverage.percent < failUnder
    const ok = failed === 0 && !coverageFailed

    if (args.flag('json')) {
      io.stdout.write(json({
        ok,
        passed: results.length - failed,
        failed,
        cases: results.map((r) => ({ name: r.case.name, line: r.case.line, ok: r.mismatches.length === 0 && r.error === undefined, mismatches: r.mismatches, error: r.error ?? null, decision: r.decision ?? null })),
        coverage: coverage ?? null,
      }))
      return ok ? 0 : 1
    }
    io.stdout.write(formatCheckReport({ testsFile, results, coverage, failUnder }, out))
    return ok ? 0 : 1
  },
}

function runCase(snapshot: MeshSnapshot, c: CheckCase): CaseResult {
  let decision: Record<string, unknown>
  try {
    decision = explain(snapshot, c.request, { random: seededRandom(c.seed) }) as unknown as Record<string, unknown>
  } catch (error) {
    return { case: c, mismatches: [], error: error instanceof Error ? error.message : String(error) }
  }
  const { status, ...fields } = c.expect
  const mismatches = [...compareExpected(fields, decision, { resolveHost: hostResolver(snapshot) })]
  if (status !== undefined) {
    const actual = statusOf(decision)
    if (actual !== status) mismatches.push({ path: 'status', expected: status, actual: actual ?? null, note: actual === undefined ? 'the answer comes from the upstream, not from the rules' : undefined })
  }
  return { case: c, mismatches, decision }
}

/** The status the rules answer with themselves: redirect, direct response, or 404 with no route. */
export function statusOf(decision: Record<string, unknown>): number | undefined {
  const redirect = decision.redirect as { status?: number } | null | undefined
  const direct = decision.directResponse as { status?: number } | null | undefined
  if (decision.action === 'redirect') return redirect?.status
  if (decision.action === 'directResponse') return direct?.status
  if (decision.action === 'noRoute') return 404
  return undefined
}

/** `reviews` → `reviews.<namespace>.svc.<domain>`, as Istio expands short names; others unchanged. */
function hostResolver(snapshot: MeshSnapshot): (host: string) => string {
  const { namespace, domain } = snapshot.identity
  return (host) => (host.includes('.') || host === '*' ? host : `${host}.${namespace}.svc.${domain}`)
}
