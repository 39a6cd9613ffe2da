/**
 * Where the command line writes. Commands take this instead of touching `process`, so tests call
 * them in-process with string buffers and a chosen environment.
 */
export interface CliOutput {
  write(text: string): void
  /** True when the stream is a terminal (colours are only used then). */
  readonly isTTY?: boolean
}

export interface CliIO {
  readonly stdout: CliOutput
  readonly stderr: CliOutput
  readonly env: Readonly<Record<string, string | undefined>>
}

export function processIO(): CliIO {
  return { stdout: processOutput(process.stdout), stderr: processOutput(process.stderr), env: process.env }
}

/**
 * A process stream that goes quiet once its reader is gone: `meshlet fidelity … | head` closes the
 * pipe early, and Node reports that as an EPIPE 'error' event, which unhandled prints a stack
 * trace and exits with code 1. The command then finishes without writing and exits as it would have.
 */
function processOutput(stream: NodeJS.WriteStream): CliOutput {
  let closed = false
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed = true
  })
  return {
    write: (text) => {
      if (!closed) stream.write(text)
    },
    isTTY: stream.isTTY === true,
  }
}
