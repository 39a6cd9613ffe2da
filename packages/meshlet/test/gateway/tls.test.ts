import { connect } from 'node:tls'
import type { PeerCertificate } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { listening, pods, send } from './support.js'
import { generatePki } from './tls-ca.js'

function rules(pki: ReturnType<typeof generatePki>, mode: 'SIMPLE' | 'MUTUAL' | 'OPTIONAL_MUTUAL', extra = ''): string {
  return `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*/shop.example"]
    tls: { httpsRedirect: true }
  - port: { number: 443, name: https, protocol: HTTPS }
    hosts: ["*/shop.example"]
    tls:
      mode: ${mode}
      serverCertificate: ${pki.serverCert}
      privateKey: ${pki.serverKey}
      caCertificates: ${pki.caCert}${extra}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: default }
spec:
  hosts: [shop.example]
  gateways: [istio-system/public]
  http:
  - route: [{ destination: { host: web, port: { number: 8080 } } }]
`
}

function peerCertificate(port: number, ca: Buffer): Promise<PeerCertificate> {
  return handshake(port, ca).then((result) => result.peer)
}

function handshake(port: number, ca: Buffer): Promise<{ peer: PeerCertificate; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'shop.example', ca }, () => {
      resolve({ peer: socket.getPeerCertificate(), protocol: socket.getProtocol() })
      socket.end()
    })
    socket.on('error', reject)
  })
}

describe('a gateway terminating TLS with certificates from a generated CA', () => {
  it('serves https with the server certificate, verified against the CA, and forwards x-forwarded-proto https', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const { port } = await listening({ yaml: rules(pki, 'SIMPLE'), gateway: 'istio-system/public', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    const answer = await send(port(443), { host: 'shop.example', path: '/cart', tls: { ca: pki.read(pki.caCert) } })
    expect(answer.status).toBe(200)
    expect(answer.json().headers['x-forwarded-proto']).toBe('https')
    const peer = await peerCertificate(port(443), pki.read(pki.caCert))
    expect(peer.subject.CN).toBe('shop.example')
  })

  it('redirects plain HTTP to https with 301 when the server asks for httpsRedirect', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const { port } = await listening({ yaml: rules(pki, 'SIMPLE'), gateway: 'istio-system/public', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    const answer = await send(port(80), { host: 'shop.example', path: '/cart?item=7' })
    expect(answer.status).toBe(301)
    expect(answer.headers.location).toBe('https://shop.example/cart?item=7')
    expect(web[0]!.requests).toHaveLength(0)
  })

  it('requires a client certificate signed by the CA in MUTUAL mode', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const { port } = await listening({ yaml: rules(pki, 'MUTUAL'), gateway: 'istio-system/public', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    const ca = pki.read(pki.caCert)
    const withCertificate = await send(port(443), { host: 'shop.example', tls: { ca, cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) } })
    expect(withCertificate.status).toBe(200)
    await expect(send(port(443), { host: 'shop.example', tls: { ca } })).rejects.toThrow()
    expect(web[0]!.requests).toHaveLength(1)
  })

  it('asks for a client certificate in OPTIONAL_MUTUAL mode without requiring one', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const { port } = await listening({ yaml: rules(pki, 'OPTIONAL_MUTUAL'), gateway: 'istio-system/public', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    const ca = pki.read(pki.caCert)
    expect((await send(port(443), { host: 'shop.example', tls: { ca } })).status).toBe(200)
    expect((await send(port(443), { host: 'shop.example', tls: { ca, cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) } })).status).toBe(200)
  })

  it('keeps the TLS versions between minProtocolVersion and maxProtocolVersion', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const { port } = await listening({ yaml: rules(pki, 'SIMPLE', '\n      minProtocolVersion: TLSV1_2\n      maxProtocolVersion: TLSV1_2'), gateway: 'istio-system/public', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    expect((await handshake(port(443), pki.read(pki.caCert))).protocol).toBe('TLSv1.2')
  })

  it('terminates TLS on a Gateway API HTTPS listener with the certificate files of its meshlet.io options', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const yaml = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: default }
spec:
  gatewayClassName: meshlet
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls:
      mode: Terminate
      options: { meshlet.io/certificate: ${pki.serverCert}, meshlet.io/private-key: ${pki.serverKey} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: default }
spec:
  parentRefs: [{ name: web }]
  rules: [{ backendRefs: [{ name: web, port: 8080 }] }]
`
    const { port } = await listening({ yaml, gateway: 'default/web', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    const answer = await send(port(443), { host: 'shop.example', tls: { ca: pki.read(pki.caCert) } })
    expect(answer.status).toBe(200)
    expect(answer.json().headers['x-forwarded-proto']).toBe('https')
  })

  it('serves a rotated certificate once its files change, without a restart', async () => {
    const pki = generatePki(['shop.example'])
    const web = await pods('web', 1)
    const { port, gateway } = await listening({ yaml: rules(pki, 'SIMPLE'), gateway: 'istio-system/public', endpoints: { 'web.default.svc.cluster.local': [{ address: '127.0.0.1', port: web[0]!.port }] } })
    const ca = pki.read(pki.caCert)
    const before = await peerCertificate(port(443), ca)
    const reloaded = new Promise<unknown>((resolve) => gateway.on('certificateReloaded', (event) => resolve(event.error)))
    pki.rotateServer()
    expect(await reloaded).toBeUndefined()
    const after = await peerCertificate(port(443), ca)
    expect(before.subject.CN).toBe('shop.example')
    expect(after.subject.CN).toBe('shop.example rotated')
    expect(after.serialNumber).not.toBe(before.serialNumber)
  })
})
