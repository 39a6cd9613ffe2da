import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '@meshlet/core'
import type { ClusterAccess } from './access.js'
import { TokenFile } from './token-file.js'

/** Where Kubernetes mounts a pod's service account (kubernetes.io/docs/tasks/run-application/access-api-from-pod). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/**
 * The pod's own service account, when running in a cluster: `KUBERNETES_SERVICE_HOST` and
 * `KUBERNETES_SERVICE_PORT` name the API server, and the mounted token (re-read as the kubelet
 * rotates it), `ca.crt` and `namespace` do the rest. Undefined outside a cluster.
 */
export function inClusterAccess(env: NodeJS.ProcessEnv, clock: Clock, directory = SERVICE_ACCOUNT_DIR): ClusterAccess | undefined {
  const host = env.KUBERNETES_SERVICE_HOST
  const port = env.KUBERNETES_SERVICE_PORT
  const tokenPath = join(directory, 'token')
  if (!host || !port || !existsSync(tokenPath)) return undefined
  const caPath = join(directory, 'ca.crt')
  const namespacePath = join(directory, 'namespace')
  const token = new TokenFile(tokenPath, clock)
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    description: `the in-cluster service account (${directory})`,
    ca: existsSync(caPath) ? readFileSync(caPath, 'utf8') : undefined,
    cert: undefined,
    key: undefined,
    serverName: undefined,
    insecureSkipTlsVerify: false,
    namespace: existsSync(namespacePath) ? readFileSync(namespacePath, 'utf8').trim() : undefined,
    authorization: async () => `Bearer ${await token.read()}`,
    invalidate: () => token.invalidate(),
  }
}
