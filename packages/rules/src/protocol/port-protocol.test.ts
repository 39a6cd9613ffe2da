import { describe, expect, it } from 'vitest'
import { isHttp2Protocol, kubernetesPortProtocol, parsePortProtocol } from './port-protocol.js'
import { upstreamProtocolOf } from './upstream-protocol.js'

const pool = (h2UpgradePolicy: 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE', useClientProtocol = false) => ({ h2UpgradePolicy, useClientProtocol })

describe('port protocols', () => {
  it('reads a ServiceEntry protocol ignoring case, and an unknown or missing one as sniffed', () => {
    expect(parsePortProtocol('grpc')).toBe('GRPC')
    expect(parsePortProtocol('GRPC-Web')).toBe('GRPC-WEB')
    expect(parsePortProtocol('HTTP2')).toBe('HTTP2')
    expect(parsePortProtocol(undefined)).toBe('')
    expect(parsePortProtocol('quic')).toBe('')
  })

  it('reads a Kubernetes port from appProtocol first, then from the name prefix before the first dash', () => {
    expect(kubernetesPortProtocol(9080, 'grpc-reviews', undefined)).toBe('GRPC')
    expect(kubernetesPortProtocol(9080, 'http2-api', undefined)).toBe('HTTP2')
    expect(kubernetesPortProtocol(9080, 'grpc-web-ui', undefined)).toBe('GRPC-WEB')
    expect(kubernetesPortProtocol(9080, 'http', 'grpc')).toBe('GRPC')
    expect(kubernetesPortProtocol(9080, 'web', undefined)).toBe('')
    expect(kubernetesPortProtocol(3306, 'db', undefined)).toBe('TCP')
  })

  it('calls HTTP2, GRPC and GRPC-WEB HTTP/2 protocols', () => {
    expect(['HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP', ''].map((p) => isHttp2Protocol(p as never))).toEqual([true, true, true, false, false])
  })
})

describe('the protocol a cluster speaks upstream', () => {
  it('is HTTP/2 for an HTTP/2 port whatever the upgrade policy says', () => {
    expect(upstreamProtocolOf('GRPC', pool('DO_NOT_UPGRADE'))).toBe('h2')
    expect(upstreamProtocolOf('HTTP2', pool('DEFAULT', true))).toBe('h2')
  })

  it('upgrades an HTTP or sniffed port only under UPGRADE without useClientProtocol', () => {
    expect(upstreamProtocolOf('HTTP', pool('UPGRADE'))).toBe('h2')
    expect(upstreamProtocolOf('', pool('UPGRADE'))).toBe('h2')
    expect(upstreamProtocolOf('HTTP', pool('UPGRADE', true))).toBe('http1')
    expect(upstreamProtocolOf('HTTP', pool('DEFAULT'))).toBe('http1')
    expect(upstreamProtocolOf('HTTP', pool('DO_NOT_UPGRADE'))).toBe('http1')
  })

  it('keeps the caller’s protocol on a port without a declared protocol (Istio sniffs it)', () => {
    expect(upstreamProtocolOf('', pool('DEFAULT'))).toBe('sniff')
    expect(upstreamProtocolOf('', pool('UPGRADE', true))).toBe('sniff')
  })
})
