import { describe, expect, it } from 'vitest'
import { isIpAddress, isIpLiteral } from './ip-address.js'

describe('isIpLiteral', () => {
  it('knows IPv4 and IPv6 addresses, with or without a port', () => {
    for (const host of ['10.0.0.1', '255.255.255.255', '10.0.0.1:8080', '::1', '::', 'fe80::1', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1', '[fe80::1]', '[::1]:443']) {
      expect(isIpLiteral(host), host).toBe(true)
    }
  })

  it('takes host names, host:port and near-addresses for names', () => {
    for (const host of ['reviews', 'reviews.default.svc.cluster.local', 'reviews:9080', 'cafe:80', 'beef', '10.0.0', '10.0.0.256', '1.2.3.4.5', '1..2.3', '010.0.0.1', '10.00.0.1', 'a::b::c', '[]', 'example.org:443', '']) {
      expect(isIpLiteral(host), host).toBe(false)
    }
  })

  it('takes bare addresses only when asked for an address', () => {
    expect(isIpAddress('10.0.0.1')).toBe(true)
    expect(isIpAddress('fe80::1')).toBe(true)
    expect(isIpAddress('10.0.0.1:8080')).toBe(false)
    expect(isIpAddress('[::1]')).toBe(false)
  })
})
