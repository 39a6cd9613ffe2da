/**
 * `meshlet fidelity <files...>`: each field the rules use, and whether meshlet honours it,
 * approximates it or ignores it (with the reason). With --strict an ignored field fails (exit 1).
 */
import { fidelity, formatFidelity } from '@meshlet/rules'
import type { CommandSpec } from '../args.js'
import type { Command } from '../command.js'
import { json, plural } from '../format.js'
import { loadSnapshot } from '../load.js'

const spec: CommandSpec = {
  name: 'fidelity',
  summary: 'list each field in use as honored, approximated or ignored by meshlet, with the reason',
  usage: '<files or folders...> [--strict] [--namespace ns] [--json]',
  minPositionals: 1,
  positionalName: 'rules file or folder',
  options: [
    { name: 'strict', kind: 'flag', description: 'exit 1 when a field in use is ignored by meshlet' },
    { name: 'namespace', short: 'n', kind: 'value', valueName: 'ns', description: 'namespace of this service and of resources that name none (default: default)' },
    { name: 'json', kind: 'flag', description: 'print the report as JSON' },
  ],
  details: [
    'docs/compatibility.md lists every field meshlet knows and how it compares with Istio on Envoy.',
    '',
    'Examples:',
    '  meshlet fidelity examples/rules',
    '  meshlet fidelity examples/rules --strict --json',
  ],
}

export const fidelityCommand: Command = {
  spec,
  async run(args, context) {
    const snapshot = await loadSnapshot({ files: args.positionals, namespace: args.value('namespace') }, context)
    if (!snapshot) return 1
    const strict = args.flag('strict')
    const report = fidelity(snapshot, { strict })
    const failed = strict && report.summary.ignored > 0
    const { io, out } = context
    if (args.flag('json')) {
      io.stdout.write(json({ ok: !failed, strict, ...report }))
      return failed ? 1 : 0
    }
    io.stdout.write(formatFidelity(report))
    if (failed) io.stdout.write(`${out.red('✗ strict')}: meshlet ignores ${plural(report.summary.ignored, 'field')} in use (listed as "ignored" above)\n`)
    return failed ? 1 : 0
  },
}
