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
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
  }
}
