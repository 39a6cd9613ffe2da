import { once } from 'node:events'
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createTestCertificateAuthority } from './certificates.js'

describe('createTestCertificateAuthority', () => {
  it('issues a server certificate a strict TLS client trusts through the generated CA', async () => {
    const ca = createTestCertificateAuthority()
    const server = createServer(ca.issue('test-server', ['127.0.0.1', 'localhost']), (_request, response) => response.end('ok'))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, ca: ca.cert, path: '/' }, (response) => {
          let text = ''
          response.on('data', (chunk) => (text += String(chunk)))
          response.on('end', () => resolve(text))
        })
          .on('error', reject)
          .end()
      })
      expect(body).toBe('ok')
    } finally {
      server.close()
    }
  })

  it('is not trusted by a client that trusts another CA', async () => {
    const ca = createTestCertificateAuthority()
    const other = createTestCertificateAuthority()
    const server = createServer(ca.issue('test-server', ['127.0.0.1']), (_request, response) => response.end('ok'))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    try {
      const failure = await new Promise<Error>((resolve) => {
        request({ host: '127.0.0.1', port, ca: other.cert, path: '/' }, () => resolve(new Error('connected')))
          .on('error', resolve)
          .end()
      })
      expect((failure as NodeJS.ErrnoException).code).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/)
    } finally {
      server.close()
    }
  })
})
