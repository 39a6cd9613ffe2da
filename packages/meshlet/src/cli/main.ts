/**
 * The `meshlet` command line: picks the command, parses its arguments, runs it and turns every
 * error into a message and an exit code. No stack trace reaches the user unless MESHLET_DEBUG is
 * set: bad input exits 1 with its message, bad arguments exit 2 with the usage line, and anything
 * unexpected says it is a bug to report.
 */
import { readFileSync } from 'node:fs'
import { isMeshError } from '@meshlet/core'
import { parseArgs, usageError } from './args.js'
import type { CommandSpec } from './args.js'
import type { Command, CommandContext } from './command.js'
import { checkCommand } from './commands/check.js'
import { compileCommand } from './commands/compile.js'
import { explainCommand } from './commands/explain.js'
import { fidelityCommand } from './commands/fidelity.js'
import { simulateCommand } from './commands/simulate.js'
import { validateCommand } from './commands/validate.js'
import { styleFor } from './format.js'
import { commandHelp, globalHelp, usageLine } from './help.js'
import { processIO } from './io.js'
import type { CliIO } from './io.js'

export const COMMANDS: readonly Command[] = [validateCommand, explainCommand, checkCommand, fidelityCommand, simulateCommand, compileCommand]

/** Runs one command line (the arguments after `meshlet`) and resolves to its exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const context: CommandContext = { io, out: styleFor(io.stdout, io.env), err: styleFor(io.stderr, io.env) }
  const [name, ...rest] = argv
  let command: Command | undefined
  try {
    if (name === undefined) {
      io.stderr.write(globalHelp(COMMANDS, version(), context.err))
      return 2
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.spec.name === rest[0]) : undefined
      io.stdout.write(topic ? commandHelp(topic.spec, context.out) : globalHelp(COMMANDS, version(), context.out))
      return 0
    }
    if (name === '--version' || name === '-V') {
      io.stdout.write(`${version()}\n`)
      return 0
    }
    command = COMMANDS.find((c) => c.spec.name === name)
    if (!command) throw usageError('', `unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.spec.name).join(', ')}`)
    const args = parseArgs(rest, command.spec)
    if (args.help) {
      io.stdout.write(commandHelp(command.spec, context.out))
      return 0
    }
    return await command.run(args, context)
  } catch (error) {
    return reportError(error, command?.spec, context)
  }
}

function reportError(error: unknown, spec: CommandSpec | undefined, { io, err }: CommandContext): number {
  const prefix = `meshlet${spec ? ` ${spec.name}` : ''}`
  if (isMeshError(error, 'MESHLET_ERR_CLI_USAGE')) {
    io.stderr.write(`${err.red('meshlet')}: ${error.message}\n`)
    io.stderr.write(`${spec ? usageLine(spec) : 'usage: meshlet <command> [arguments] [options]'}  (see "meshlet ${spec ? `${spec.name} ` : ''}--help")\n`)
    return 2
  }
  if (isMeshError(error) || isInputError(error)) {
    // Bad input (an unreadable file, a request explain cannot parse): the message says it all.
    io.stderr.write(`${err.red(prefix)}: ${(error as Error).message}\n`)
    return 1
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr.write(`${err.red(prefix)}: internal error: ${message}\n`)
  io.stderr.write('This is a bug in meshlet; please report it with the command you ran. Set MESHLET_DEBUG=1 to print the stack trace.\n')
  if (io.env.MESHLET_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`)
  return 1
}

/** Errors from the file system about the user's paths (missing file, no permission). */
function isInputError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM'].includes(code)
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
  return pkg.version ?? 'unknown'
}

/** Entry point for bin/meshlet.js. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2))
}
