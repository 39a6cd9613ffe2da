import { readFile } from 'node:fs/promises'
import type { SecureContextOptions } from 'node:tls'
import { MeshError } from '@meshlet/core'
import type { CompiledGatewayServer, CompiledServerTls } from '@meshlet/rules'

/** Istio's TLS version names as Node's (`tls.DEFAULT_MIN_VERSION` style). */
const VERSIONS: Readonly<Record<string, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' | undefined>> = {
  TLSV1_0: 'TLSv1',
  TLSV1_1: 'TLSv1.1',
  TLSV1_2: 'TLSv1.2',
  TLSV1_3: 'TLSv1.3',
  TLS_AUTO: undefined,
}

export interface ServerTlsFiles {
  /** The options of the secure context (certificate, key, client CA, versions, ciphers). */
  readonly context: SecureContextOptions
  /** Ask for a client certificate (MUTUAL, OPTIONAL_MUTUAL) and refuse a handshake without one (MUTUAL). */
  readonly requestCert: boolean
  readonly rejectUnauthorized: boolean
  /** The files read, to watch for changes. */
  readonly files: readonly string[]
}

/**
 * Reads a server's certificate files into TLS options. A Secret reference (credentialName,
 * certificateRefs) or a mode meshlet does not terminate cannot be served: MESHLET_ERR_GATEWAY_TLS
 * says which server and what to write instead.
 */
export async function readServerTls(server: CompiledGatewayServer): Promise<ServerTlsFiles> {
  const tls = server.tls as CompiledServerTls
  const where = `${server.source.kind} ${server.source.namespace}/${server.source.name} ${server.path.join('.')} (port ${server.port})`
  if (tls.mode !== 'SIMPLE' && tls.mode !== 'MUTUAL' && tls.mode !== 'OPTIONAL_MUTUAL') {
    throw new MeshError('MESHLET_ERR_GATEWAY_TLS', `${where}: TLS mode ${tls.mode} is not terminated by meshlet (SIMPLE, MUTUAL and OPTIONAL_MUTUAL are)`)
  }
  if (tls.serverCertificate === undefined || tls.privateKey === undefined) {
    const secret = tls.credentialName === undefined ? '' : ` It names the Kubernetes Secret ${tls.credentialName}, which meshlet cannot read.`
    throw new MeshError('MESHLET_ERR_GATEWAY_TLS', `${where}: no certificate files.${secret} Give the PEM files: serverCertificate and privateKey (Istio), or the listener tls.options meshlet.io/certificate and meshlet.io/private-key (Gateway API).`)
  }
  const mutual = tls.mode !== 'SIMPLE'
  if (mutual && tls.caCertificates === undefined) throw new MeshError('MESHLET_ERR_GATEWAY_TLS', `${where}: ${tls.mode} needs caCertificates to verify client certificates`)
  const files = [tls.serverCertificate, tls.privateKey, ...(mutual ? [tls.caCertificates!] : [])]
  const contents = await Promise.all(files.map((file) => readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new MeshError('MESHLET_ERR_GATEWAY_TLS', `${where}: cannot read ${file}: ${error.code ?? error.message}`, { cause: error })
  })))
  const context: SecureContextOptions = { cert: contents[0], key: contents[1] }
  if (mutual) context.ca = contents[2]
  const minVersion = VERSIONS[tls.minProtocolVersion ?? 'TLS_AUTO']
  const maxVersion = VERSIONS[tls.maxProtocolVersion ?? 'TLS_AUTO']
  if (minVersion !== undefined) context.minVersion = minVersion
  if (maxVersion !== undefined) context.maxVersion = maxVersion
  if (tls.cipherSuites.length > 0) context.ciphers = tls.cipherSuites.join(':')
  return { context, requestCert: mutual, rejectUnauthorized: tls.mode === 'MUTUAL', files }
}
