/** Help and usage text, printed from the same option declarations the parser uses. */
import type { CommandSpec, OptionSpec } from './args.js'
import type { Command } from './command.js'
import { formatTable } from './format.js'
import type { Style } from './format.js'

export function usageLine(spec: CommandSpec): string {
  return `usage: meshlet ${spec.name} ${spec.usage}`
}

export function commandHelp(spec: CommandSpec, style: Style): string {
  const rows = [...spec.options, { name: 'help', short: 'h', kind: 'flag', description: 'show this help' } satisfies OptionSpec].map((option) => [
    `${option.short ? `-${option.short}, ` : '    '}--${option.name}${option.kind === 'flag' ? '' : ` ${option.valueName ?? 'value'}`}`,
    option.description + (option.kind === 'list' ? ' (repeatable)' : ''),
  ])
  return [
    `${style.bold(`meshlet ${spec.name}`)}: ${spec.summary}`,
    '',
    usageLine(spec),
    '',
    'Options:',
    formatTable(rows, '  '),
    ...(spec.details ? ['', ...spec.details] : []),
    '',
  ].join('\n')
}

export function globalHelp(commands: readonly Command[], version: string, style: Style): string {
  return [
    `${style.bold('meshlet')} ${version}: Istio traffic rules, checked and explained without a cluster`,
    '',
    'usage: meshlet <command> [arguments] [options]',
    '',
    'Commands:',
    formatTable(commands.map((c) => [c.spec.name, c.spec.summary]), '  '),
    '',
    'Run "meshlet <command> --help" for the options of a command.',
    'Exit codes: 0 success, 1 invalid rules or failed checks, 2 bad arguments.',
    '',
  ].join('\n')
}
