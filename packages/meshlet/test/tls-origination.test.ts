import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { TLSSocket } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { at, echo, mesh, upstream } from './helpers.js'

/** A self-signed certificate for DNS name meshlet-test, made for these loopback tests only. */
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url))
const CERT = fixture('cert.pem')
const KEY = fixture('key.pem')

let server: Server | undefined
afterEach(() => {
  server?.closeAllConnections()
  server?.close()
  server = undefined
})

/** An HTTPS server on loopback that answers with the CN of the client certificate, if any. */
async function httpsServer(options: { requireClientCertificate: boolean }): Promise<number> {
  server = createServer(
    { key: readFileSync(KEY), cert: readFileSync(CERT), ca: readFileSync(CERT), requestCert: options.requireClientCertificate, rejectUnauthorized: options.requireClientCertificate },
    (request, response) => {
      const peer = (request.socket as TLSSocket).getPeerCertificate()
      response.end(peer?.subject?.CN ?? 'anonymous')
    },
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

const destinationRule = (tls: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: secure }
spec:
  host: secure
  trafficPolicy:
    tls: ${tls}
`

describe('TLS originated as the DestinationRule says', () => {
  it('calls the endpoint in plain HTTP with mode DISABLE', async () => {
    const plain = await upstream()
    const m = await mesh({ yaml: destinationRule('{ mode: DISABLE }'), endpoints: { secure: [at(plain)] } })
    const response = await m.fetch('http://secure/x')
    expect(response.status).toBe(200)
    expect((await echo(response)).path).toBe('/x')
  })

  it('verifies the server with caCertificates and sni (mode SIMPLE)', async () => {
    const port = await httpsServer({ requireClientCertificate: false })
    const m = await mesh({ yaml: destinationRule(`{ mode: SIMPLE, caCertificates: ${CERT}, sni: meshlet-test }`), endpoints: { secure: [{ address: '127.0.0.1', port }] } })
    const response = await m.fetch('http://secure/')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('anonymous')
  })

  it('refuses a server its caCertificates do not vouch for', async () => {
    const port = await httpsServer({ requireClientCertificate: false })
    const m = await mesh({ yaml: destinationRule('{ mode: SIMPLE, sni: meshlet-test }'), endpoints: { secure: [{ address: '127.0.0.1', port }] } })
    const response = await m.fetch('http://secure/')
    expect(response.status).toBe(503)
    await response.arrayBuffer()
  })

  it('refuses a server whose certificate does not name the sni', async () => {
    const port = await httpsServer({ requireClientCertificate: false })
    const m = await mesh({ yaml: destinationRule(`{ mode: SIMPLE, caCertificates: ${CERT}, sni: other-name }`), endpoints: { secure: [{ address: '127.0.0.1', port }] } })
    const response = await m.fetch('http://secure/')
    expect(response.status).toBe(503)
    await response.arrayBuffer()
  })

  it('presents clientCertificate and privateKey to a server that requires one (mode MUTUAL)', async () => {
    const port = await httpsServer({ requireClientCertificate: true })
    const mutual = await mesh({
      yaml: destinationRule(`{ mode: MUTUAL, clientCertificate: ${CERT}, privateKey: ${KEY}, caCertificates: ${CERT}, sni: meshlet-test }`),
      endpoints: { secure: [{ address: '127.0.0.1', port }] },
    })
    const response = await mutual.fetch('http://secure/')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('meshlet-test')
    const simple = await mesh({ yaml: destinationRule(`{ mode: SIMPLE, caCertificates: ${CERT}, sni: meshlet-test }`), endpoints: { secure: [{ address: '127.0.0.1', port }] } })
    const refused = await simple.fetch('http://secure/')
    expect(refused.status).toBe(503)
    await refused.arrayBuffer()
  })
})
