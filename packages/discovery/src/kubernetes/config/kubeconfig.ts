import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path'
import { parseYaml } from '../../internal/yaml.js'
import { MeshError } from '@meshlet/core'
import type { Clock } from '@meshlet/core'
import type { ClusterAccess } from './access.js'
import { ExecCredential } from './exec-credential.js'
import type { ExecConfig } from './exec-credential.js'
import { inClusterAccess } from './in-cluster.js'
import { TokenFile } from './token-file.js'

/** Where the credentials come from; every field optional. */
export interface KubeconfigChoice {
  /** A kubeconfig file; default: in-cluster, else $KUBECONFIG, else ~/.kube/config. */
  readonly kubeconfig?: string | undefined
  /** A context of the kubeconfig; default its current-context. */
  readonly context?: string | undefined
}

type Named<T> = { readonly name: string; readonly value: T; readonly folder: string }

interface Merged {
  readonly files: readonly string[]
  readonly currentContext: string | undefined
  readonly clusters: Map<string, Named<Record<string, unknown>>>
  readonly users: Map<string, Named<Record<string, unknown>>>
  readonly contexts: Map<string, Named<Record<string, unknown>>>
}

/**
 * Resolves the credentials to use, in the order kubectl and client-go use: an explicit
 * `kubeconfig` file; else, with no file and no context named, the in-cluster service account; else
 * the files of `$KUBECONFIG` (merged, the first file to set a value wins); else `~/.kube/config`.
 * Throws MESHLET_ERR_KUBECONFIG_INVALID naming the file and what is missing.
 */
export function resolveClusterAccess(choice: KubeconfigChoice, clock: Clock, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  if (choice.kubeconfig === undefined && choice.context === undefined) {
    const inCluster = inClusterAccess(env, clock)
    if (inCluster !== undefined) return inCluster
  }
  const files =
    choice.kubeconfig !== undefined
      ? [resolve(choice.kubeconfig)]
      : env.KUBECONFIG
        ? env.KUBECONFIG.split(delimiter).filter((file) => file !== '').map((file) => resolve(file))
        : [join(env.HOME || homedir(), '.kube', 'config')]
  return accessFromKubeconfig(readMerged(files), choice.context, clock)
}

function readMerged(files: readonly string[]): Merged {
  const merged: Merged = { files, currentContext: undefined, clusters: new Map(), users: new Map(), contexts: new Map() }
  let currentContext: string | undefined
  let readAny = false
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      // $KUBECONFIG may list files that do not exist; kubectl skips them. An explicit file must exist.
      if (files.length > 1 && (error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw invalid(`cannot read the kubeconfig ${file}: ${(error as Error).message}. Pass kubernetes.kubeconfig, set KUBECONFIG, or run inside a cluster`)
    }
    readAny = true
    let document: unknown
    try {
      document = parseYaml(text)
    } catch (error) {
      throw invalid(`the kubeconfig ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`)
    }
    if (document === null || document === undefined) continue
    if (!isRecord(document)) throw invalid(`the kubeconfig ${file} is not a map (apiVersion: v1, kind: Config)`)
    currentContext ??= typeof document['current-context'] === 'string' && document['current-context'] !== '' ? document['current-context'] : undefined
    const folder = dirname(file)
    collect(document.clusters, 'cluster', file, folder, merged.clusters)
    collect(document.users, 'user', file, folder, merged.users)
    collect(document.contexts, 'context', file, folder, merged.contexts)
  }
  if (!readAny) throw invalid(`none of the kubeconfig files exists: ${files.join(', ')}. Pass kubernetes.kubeconfig, set KUBECONFIG, or run inside a cluster`)
  return { ...merged, currentContext }
}

function collect(list: unknown, field: string, file: string, folder: string, into: Map<string, Named<Record<string, unknown>>>): void {
  if (list === undefined || list === null) return
  if (!Array.isArray(list)) throw invalid(`the kubeconfig ${file}: ${field}s must be a list`)
  list.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') throw invalid(`the kubeconfig ${file}: ${field}s[${index}] needs a name and a ${field}`)
    const value = entry[field] ?? {}
    if (!isRecord(value)) throw invalid(`the kubeconfig ${file}: ${field}s[${index}].${field} must be a map`)
    // The first file (and the first entry) to name something wins, as kubectl merges.
    if (!into.has(entry.name)) into.set(entry.name, { name: entry.name, value, folder })
  })
}

function accessFromKubeconfig(config: Merged, contextName: string | undefined, clock: Clock): ClusterAccess {
  const where = config.files.join(':')
  const name = contextName ?? config.currentContext
  if (name === undefined) throw invalid(`the kubeconfig ${where} has no current-context; pass kubernetes.context (one of: ${[...config.contexts.keys()].join(', ') || 'none defined'})`)
  const context = config.contexts.get(name)
  if (context === undefined) throw invalid(`the kubeconfig ${where} has no context "${name}" (defined: ${[...config.contexts.keys()].join(', ') || 'none'})`)
  const clusterName = text(context.value.cluster)
  const userName = text(context.value.user)
  const cluster = clusterName === undefined ? undefined : config.clusters.get(clusterName)
  if (cluster === undefined) throw invalid(`context "${name}" of ${where} names cluster "${clusterName ?? ''}", which the kubeconfig does not define`)
  const user = userName === undefined ? undefined : config.users.get(userName)
  if (userName !== undefined && user === undefined) throw invalid(`context "${name}" of ${where} names user "${userName}", which the kubeconfig does not define`)
  const server = text(cluster.value.server)
  if (server === undefined) throw invalid(`cluster "${cluster.name}" of ${where} has no server`)
  const description = `context "${name}" of ${where}`
  const u = user?.value ?? {}
  const userFolder = user?.folder ?? cluster.folder
  if (isRecord(u['auth-provider'])) {
    throw invalid(`user "${userName}" of ${where} uses an auth-provider (${text(u['auth-provider'].name) ?? 'unnamed'}), which client-go removed; use an exec credential plugin`)
  }
  return {
    server: server.replace(/\/+$/, ''),
    description,
    ca: pem(cluster.value, 'certificate-authority', cluster.folder, description),
    cert: pem(u, 'client-certificate', userFolder, description),
    key: pem(u, 'client-key', userFolder, description),
    serverName: text(cluster.value['tls-server-name']),
    insecureSkipTlsVerify: cluster.value['insecure-skip-tls-verify'] === true,
    namespace: text(context.value.namespace),
    ...authorizationOf(u, userFolder, description, clock),
  }
}

function authorizationOf(user: Record<string, unknown>, folder: string, description: string, clock: Clock): Pick<ClusterAccess, 'authorization' | 'invalidate'> {
  const token = text(user.token)
  if (token !== undefined) return { authorization: async () => `Bearer ${token}`, invalidate: () => undefined }
  const tokenFile = text(user.tokenFile)
  if (tokenFile !== undefined) {
    const file = new TokenFile(inFolder(tokenFile, folder), clock)
    return { authorization: async () => `Bearer ${await file.read()}`, invalidate: () => file.invalidate() }
  }
  if (isRecord(user.exec)) {
    const exec = readExec(user.exec, folder, description)
    const credential = new ExecCredential(exec, description)
    return { authorization: async () => `Bearer ${await credential.token()}`, invalidate: () => credential.invalidate() }
  }
  const username = text(user.username)
  if (username !== undefined) {
    const basic = `Basic ${Buffer.from(`${username}:${text(user.password) ?? ''}`).toString('base64')}`
    return { authorization: async () => basic, invalidate: () => undefined }
  }
  return { authorization: async () => undefined, invalidate: () => undefined }
}

function readExec(exec: Record<string, unknown>, folder: string, description: string): ExecConfig {
  const command = text(exec.command)
  if (command === undefined) throw invalid(`the exec credential plugin of ${description} has no command`)
  const args = Array.isArray(exec.args) ? exec.args.filter((arg): arg is string => typeof arg === 'string') : []
  const env = Array.isArray(exec.env)
    ? exec.env.filter(isRecord).flatMap((entry) => (typeof entry.name === 'string' && typeof entry.value === 'string' ? [{ name: entry.name, value: entry.value }] : []))
    : []
  // A command written as a path relative to the kubeconfig is resolved there (client-go does the same).
  const resolved = command.includes('/') && !isAbsolute(command) ? join(folder, command) : command
  return { command: resolved, args, env, apiVersion: text(exec.apiVersion) ?? 'client.authentication.k8s.io/v1', cwd: folder }
}

/** `<field>-data` (base64 PEM) or `<field>` (a file, relative to the kubeconfig). */
function pem(from: Record<string, unknown>, field: string, folder: string, description: string): string | undefined {
  const data = text(from[`${field}-data`])
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8')
  const file = text(from[field])
  if (file === undefined) return undefined
  try {
    return readFileSync(inFolder(file, folder), 'utf8')
  } catch (error) {
    throw invalid(`${field} ${file} of ${description} cannot be read: ${(error as Error).message}`)
  }
}

function inFolder(path: string, folder: string): string {
  return isAbsolute(path) ? path : join(folder, path)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): MeshError {
  return new MeshError('MESHLET_ERR_KUBECONFIG_INVALID', `kubernetes: ${message}`)
}
