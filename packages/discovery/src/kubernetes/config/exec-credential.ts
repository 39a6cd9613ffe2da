import { execFile } from 'node:child_process'
import { MeshError } from '@meshlet/core'

/** A kubeconfig `user.exec` block: a credential plugin (gke-gcloud-auth-plugin, aws eks get-token, kubelogin...). */
export interface ExecConfig {
  readonly command: string
  readonly args: readonly string[]
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>
  readonly apiVersion: string
  /** The folder of the kubeconfig, where a relative command is looked up. */
  readonly cwd: string
}

interface CachedCredential {
  readonly token: string
  /** Epoch ms; undefined: valid until a 401. */
  readonly expiresAtMs: number | undefined
}

/**
 * Runs a client-go credential plugin and keeps its token until it expires (or until a 401), as
 * kubectl does (k8s.io/client-go/plugin/pkg/client/auth/exec). Only bearer tokens are read;
 * a plugin that answers with a client certificate is reported as unsupported.
 */
export class ExecCredential {
  private cached: CachedCredential | undefined
  private running: Promise<CachedCredential> | undefined

  constructor(
    private readonly config: ExecConfig,
    private readonly description: string,
  ) {}

  async token(): Promise<string> {
    const cached = this.cached
    // Refresh a little before the plugin says it expires, so a request never carries a stale token.
    if (cached !== undefined && (cached.expiresAtMs === undefined || cached.expiresAtMs - EXPIRY_MARGIN_MS > Date.now())) return cached.token
    this.running ??= this.run().finally(() => (this.running = undefined))
    this.cached = await this.running
    return this.cached.token
  }

  invalidate(): void {
    this.cached = undefined
  }

  private run(): Promise<CachedCredential> {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: this.config.apiVersion, kind: 'ExecCredential', spec: { interactive: false } }) }
    for (const { name, value } of this.config.env) env[name] = value
    return new Promise((resolve, reject) => {
      execFile(this.config.command, [...this.config.args], { env, cwd: this.config.cwd, timeout: EXEC_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          reject(new MeshError('MESHLET_ERR_KUBECONFIG_INVALID', `kubernetes: the credential plugin "${this.config.command}" of ${this.description} failed: ${firstLine(stderr) || error.message}`, { cause: error }))
          return
        }
        try {
          const status = (JSON.parse(stdout) as { status?: { token?: unknown; expirationTimestamp?: unknown } }).status
          if (typeof status?.token !== 'string' || status.token === '') throw new Error('its ExecCredential has no status.token (client certificates from plugins are not supported)')
          const expiresAtMs = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : undefined
          resolve({ token: status.token, expiresAtMs: Number.isNaN(expiresAtMs) ? undefined : expiresAtMs })
        } catch (problem) {
          reject(new MeshError('MESHLET_ERR_KUBECONFIG_INVALID', `kubernetes: the credential plugin "${this.config.command}" of ${this.description} answered something unusable: ${(problem as Error).message}`))
        }
      })
    })
  }
}

const EXEC_TIMEOUT_MS = 30_000
const EXPIRY_MARGIN_MS = 10_000

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}
