/**
 * `meshlet validate <files...>`: every finding, errors then warnings, and exit 1 exactly when one
 * is an error (a resource Istio would reject, or with --strict an analysis finding).
 */
import { formatPath } from '@meshlet/rules'
import type { Diagnostic } from '@meshlet/rules'
import type { CommandSpec } from '../args.js'
import type { Command } from '../command.js'
import { countBySeverity, formatDiagnosticGroups, json, plural } from '../format.js'
import { checkRules } from '../load.js'
import { KUBERNETES_OPTIONS, checkRuleSource, describeChecked, loadClusterRules } from '../kubernetes.js'

const spec: CommandSpec = {
  name: 'validate',
  summary: 'check rules as Istio would, with file:line:col and field path for every problem',
  usage: '<files or folders...> [--strict] [--namespace ns] [--json] [--verbose]',
  minPositionals: 0,
  positionalName: 'rules file or folder',
  options: [
    { name: 'strict', kind: 'flag', description: 'treat cross-resource analysis findings (istioctl analyze style) as errors' },
    { name: 'namespace', short: 'n', kind: 'value', valueName: 'ns', description: 'namespace for resources that name none (default: default)' },
    { name: 'json', kind: 'flag', description: 'print the findings as JSON' },
    { name: 'verbose', short: 'v', kind: 'flag', description: 'also list notes (for example kinds that were skipped)' },
    ...KUBERNETES_OPTIONS,
  ],
  details: [
    'Exit code: 0 when no error was found, 1 when Istio would reject a resource (or, with',
    '--strict, when analysis finds a problem), 2 on bad arguments.',
    '',
    'Examples:',
    '  meshlet validate examples/rules',
    '  meshlet validate examples/rules/mesh --strict --namespace default',
    '  meshlet validate --kubernetes --context prod',
  ],
}

export const validateCommand: Command = {
  spec,
  async run(args, { io, out }) {
    checkRuleSource(args, spec)
    const strict = args.flag('strict')
    const input = { files: args.positionals, namespace: args.value('namespace'), strict }
    const cluster = args.flag('kubernetes') ? await loadClusterRules(args, input) : undefined
    const result = cluster?.result ?? (await checkRules(input))
    const counts = countBySeverity(result.diagnostics)
    const noFiles = cluster === undefined && result.files.length === 0 && counts.errors === 0
    const ok = counts.errors === 0 && !noFiles

    if (args.flag('json')) {
      io.stdout.write(json({ ok, strict, files: result.files, ...counts, diagnostics: result.diagnostics.map(toJson) }))
      return ok ? 0 : 1
    }
    if (noFiles) {
      io.stdout.write(`${out.red('error')}: no rule files (.yaml, .yml, .json) found in ${args.positionals.join(', ')}\n`)
      return 1
    }
    const verbose = args.flag('verbose')
    io.stdout.write(formatDiagnosticGroups(result.diagnostics, out, { notes: verbose }))
    const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning')]
    if (counts.notes > 0) parts.push(verbose ? plural(counts.notes, 'note') : `${plural(counts.notes, 'note')} (--verbose shows them)`)
    const checked = `${cluster === undefined ? `${plural(result.files.length, 'file')} checked` : describeChecked(result.files.length, cluster)}${strict ? ' (strict)' : ''}`
    const verdict = ok ? out.green('✓ valid') : out.red('✗ invalid')
    io.stdout.write(`${verdict}: ${checked}: ${parts.join(', ')}\n`)
    return ok ? 0 : 1
  },
}

/** Diagnostics as plain JSON, with the path also formatted the way the text output shows it. */
function toJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    resource: d.resource ?? null,
    path: d.path,
    field: formatPath(d.path),
    analysis: d.analysis === true,
  }
}
