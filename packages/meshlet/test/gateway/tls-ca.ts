import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface GeneratedPki {
  readonly dir: string
  readonly caCert: string
  readonly serverCert: string
  readonly serverKey: string
  readonly clientCert: string
  readonly clientKey: string
  read(path: string): Buffer
  /** Issues a new server certificate for the same names into the same files (a rotation). */
  rotateServer(): void
}

/**
 * A throwaway CA, a server certificate for `hosts` and a client certificate, made with the openssl
 * command line into a temp folder (nothing is kept in the repository).
 */
export function generatePki(hosts: readonly string[]): GeneratedPki {
  const dir = mkdtempSync(join(tmpdir(), 'meshlet-gateway-pki-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=meshlet test CA', '-keyout', path('ca.key'), '-out', path('ca.pem'))
  const issue = (name: string, subject: string, extensions: string) => {
    writeFileSync(path(`${name}.ext`), extensions)
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`))
    openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', path(`${name}.ext`), '-out', path(`${name}.pem`))
  }
  const serverExtensions = `subjectAltName=${hosts.map((host) => `DNS:${host}`).join(',')}\nextendedKeyUsage=serverAuth\n`
  issue('server', `/CN=${hosts[0]}`, serverExtensions)
  issue('client', '/CN=trusted-client', 'extendedKeyUsage=clientAuth\n')
  return {
    dir,
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    read: (file) => readFileSync(file),
    rotateServer: () => issue('server', `/CN=${hosts[0]} rotated`, serverExtensions),
  }
}
