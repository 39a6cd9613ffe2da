/**
 * Argument parsing for the `meshlet` command line, with no dependency: each command declares its
 * options once (the same declaration prints its --help), and anything not declared is a usage error.
 */
import { MeshError } from '@meshlet/core'

export type OptionKind = 'flag' | 'value' | 'list'

export interface OptionSpec {
  /** Long name without dashes, e.g. `request`. */
  readonly name: string
  /** One-letter alias without the dash, e.g. `H`. */
  readonly short?: string
  /** `flag` takes no value; `value` takes one (last wins); `list` may repeat. */
  readonly kind: OptionKind
  /** How the value is shown in help, e.g. `"METHOD URL"`. */
  readonly valueName?: string
  readonly description: string
}

export interface CommandSpec {
  readonly name: string
  readonly summary: string
  /** Shown after `meshlet <name> `, e.g. `<files...> --request "METHOD URL"`. */
  readonly usage: string
  /** Fewest positional arguments the command accepts. */
  readonly minPositionals: number
  /** Name of the positional arguments, used in the "needs at least" message. */
  readonly positionalName: string
  readonly options: readonly OptionSpec[]
  /** More lines for --help: examples and notes. */
  readonly details?: readonly string[]
}

export interface ParsedArgs {
  readonly positionals: readonly string[]
  readonly help: boolean
  flag(name: string): boolean
  value(name: string): string | undefined
  list(name: string): readonly string[]
}

/** The option every command understands. */
const HELP: OptionSpec = { name: 'help', short: 'h', kind: 'flag', description: 'show this help' }

export function usageError(command: string, message: string): MeshError {
  return new MeshError('MESHLET_ERR_CLI_USAGE', command === '' ? message : `${command}: ${message}`)
}

/**
 * Parses `argv` (the arguments after the command name). Options may come before, between or after
 * positionals; `--name=value` and `--name value` both work; `--` ends the options. Throws a
 * MESHLET_ERR_CLI_USAGE MeshError naming the first problem.
 */
export function parseArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const options = [...spec.options, HELP]
  const byLong = new Map(options.map((o) => [o.name, o]))
  const byShort = new Map(options.filter((o) => o.short !== undefined).map((o) => [o.short!, o]))
  const flags = new Set<string>()
  const values = new Map<string, string[]>()
  const positionals: string[] = []

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg)
      continue
    }
    const long = arg.startsWith('--')
    const equals = arg.indexOf('=')
    const key = long ? arg.slice(2, equals === -1 ? undefined : equals) : arg.slice(1, 2)
    const option = long ? byLong.get(key) : byShort.get(key)
    if (!option) throw usageError(spec.name, `unknown option ${long ? '--' : '-'}${key}`)
    const shown = long ? `--${option.name}` : `-${option.short}`
    // Inline value: `--name=value`, or `-Hvalue` for a short option.
    const inline = long ? (equals === -1 ? undefined : arg.slice(equals + 1)) : arg.length > 2 ? arg.slice(arg[2] === '=' ? 3 : 2) : undefined
    if (option.kind === 'flag') {
      if (inline !== undefined) throw usageError(spec.name, `option ${shown} takes no value`)
      flags.add(option.name)
      continue
    }
    let value = inline
    if (value === undefined) {
      const next = argv[i + 1]
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        throw usageError(spec.name, `option ${shown} needs a value${option.valueName ? ` (${option.valueName})` : ''}`)
      }
      value = next
      i += 1
    }
    const seen = values.get(option.name) ?? []
    if (option.kind === 'value') seen.length = 0
    seen.push(value)
    values.set(option.name, seen)
  }

  const help = flags.has('help')
  if (!help && positionals.length < spec.minPositionals) {
    throw usageError(spec.name, `needs at least ${spec.minPositionals === 1 ? 'one' : spec.minPositionals} ${spec.positionalName}`)
  }
  return {
    positionals,
    help,
    flag: (name) => flags.has(name),
    value: (name) => values.get(name)?.at(-1),
    list: (name) => values.get(name) ?? [],
  }
}

/** Reads a value that must be a number in a range; a usage error otherwise. */
export function numberOption(args: ParsedArgs, spec: CommandSpec, name: string, range: { min: number; max: number }): number | undefined {
  const text = args.value(name)
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw usageError(spec.name, `--${name} must be a number from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`)
  }
  return value
}

/** `app=reviews,version=v1` → { app: 'reviews', version: 'v1' }; repeated options merge. */
export function labelsOption(args: ParsedArgs, spec: CommandSpec, name: string): Record<string, string> | undefined {
  const texts = args.list(name)
  if (texts.length === 0) return undefined
  const labels: Record<string, string> = {}
  for (const text of texts) {
    for (const pair of text.split(',')) {
      if (pair.trim() === '') continue
      const equals = pair.indexOf('=')
      const key = equals === -1 ? '' : pair.slice(0, equals).trim()
      if (key === '') throw usageError(spec.name, `--${name} takes key=value pairs separated by commas, got ${JSON.stringify(pair)}`)
      labels[key] = pair.slice(equals + 1).trim()
    }
  }
  return labels
}
