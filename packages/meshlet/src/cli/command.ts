/** What every command file exports, and what it is given to run. */
import type { CommandSpec, ParsedArgs } from './args.js'
import type { Style } from './format.js'
import type { CliIO } from './io.js'

export interface CommandContext {
  readonly io: CliIO
  /** Styles for stdout and stderr (each coloured only when that stream is a terminal). */
  readonly out: Style
  readonly err: Style
}

export interface Command {
  readonly spec: CommandSpec
  /** Resolves to the exit code: 0 success, 1 findings or failures. Usage errors are thrown. */
  run(args: ParsedArgs, context: CommandContext): Promise<number>
}
