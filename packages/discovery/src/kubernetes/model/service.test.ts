import { describe, expect, it } from 'vitest'
import { serviceDeclaration } from './service.js'

describe('serviceDeclaration', () => {
  it('declares the FQDN host with each port, its protocol from appProtocol or the port name, and a numeric targetPort', () => {
    const declared = serviceDeclaration(
      {
        metadata: { name: 'Reviews', namespace: 'shop' },
        spec: { ports: [{ name: 'http-web', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9100, targetPort: 'metrics', appProtocol: 'http' }, { port: 9000 }] },
      },
      'cluster.local',
      'kubernetes:/api/v1/namespaces/shop/services/Reviews',
    )
    expect(declared.host).toBe('reviews.shop.svc.cluster.local')
    expect(declared.ports).toEqual([
      { number: 80, name: 'http-web', protocol: 'HTTP', targetPort: 8080 },
      { number: 9100, name: 'metrics', protocol: 'HTTP', targetPort: undefined },
      { number: 9000, name: '', protocol: '', targetPort: undefined },
    ])
    expect(declared.resolution).toBe('STATIC')
  })

  it('resolves an ExternalName service by DNS to its external name', () => {
    const declared = serviceDeclaration({ metadata: { name: 'db', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 5432 }] } }, 'cluster.local', 'x')
    expect(declared).toMatchObject({ resolution: 'DNS', dnsName: 'db.example.com' })
  })
})
