import { readFile } from 'node:fs/promises'
import type { Clock } from '@meshlet/core'

/**
 * A bearer token kept in a file that something else rotates (the kubelet rewrites a projected
 * service account token well before it expires): re-read at most once per `refreshMs`, and at
 * once after a 401. client-go re-reads its token file once a minute.
 */
export class TokenFile {
  private token: string | undefined
  private readAtMs = Number.NEGATIVE_INFINITY

  constructor(
    readonly path: string,
    private readonly clock: Clock,
    private readonly refreshMs = TOKEN_FILE_REFRESH_MS,
  ) {}

  async read(): Promise<string> {
    if (this.token === undefined || this.clock.now() - this.readAtMs >= this.refreshMs) {
      this.token = (await readFile(this.path, 'utf8')).trim()
      this.readAtMs = this.clock.now()
    }
    return this.token
  }

  invalidate(): void {
    this.token = undefined
  }
}

/** client-go's cachingTokenSource period for token files (transport/token_source.go). */
export const TOKEN_FILE_REFRESH_MS = 60_000
