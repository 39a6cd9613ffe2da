import type { Field } from '../field.js'
import { readBool, readEnum, readObject, readUint32 } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { readNonNegativeInt32 } from '../common/int32.js'

const TCP_FIELDS = ['maxConnections', 'connectTimeout', 'tcpKeepalive', 'maxConnectionDuration', 'idleTimeout'] as const
const HTTP_FIELDS = [
  'http1MaxPendingRequests',
  'http2MaxRequests',
  'maxRequestsPerConnection',
  'maxRetries',
  'idleTimeout',
  'h2UpgradePolicy',
  'useClientProtocol',
  'maxConcurrentStreams',
  'http2KeepAlive',
] as const

/**
 * `connectionPool` (`validation.go` validateConnectionPool; reference §13): tcp or http must be
 * set; counters are non-negative int32; durations ≥ 1ms except tcp.idleTimeout, which may be `0s`;
 * UPGRADE with useClientProtocol is rejected; http2KeepAlive needs both fields.
 */
export function validateConnectionPool(field: Field): void {
  if (!readObject(field, ['tcp', 'http'])) return
  if (!field.at('tcp').present && !field.at('http').present) {
    field.error('DR_CONNECTION_POOL_EMPTY', 'connectionPool sets nothing; set tcp or http settings, or remove it')
  }
  validateTcp(field.at('tcp'))
  validateHttp(field.at('http'))
}

function validateTcp(field: Field): void {
  if (!readObject(field, TCP_FIELDS)) return
  readNonNegativeInt32(field.at('maxConnections'))
  readDuration(field.at('connectTimeout'))
  readDuration(field.at('maxConnectionDuration'))
  readDuration(field.at('idleTimeout'), { allowZero: true })
  const keepalive = field.at('tcpKeepalive')
  if (readObject(keepalive, ['probes', 'time', 'interval'])) {
    readUint32(keepalive.at('probes'))
    readDuration(keepalive.at('time'))
    readDuration(keepalive.at('interval'))
  }
}

function validateHttp(field: Field): void {
  if (!readObject(field, HTTP_FIELDS)) return
  for (const key of ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams'] as const) {
    readNonNegativeInt32(field.at(key))
  }
  readDuration(field.at('idleTimeout'))
  const upgrade = readEnum(field.at('h2UpgradePolicy'), ['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'] as const)
  const useClientProtocol = readBool(field.at('useClientProtocol'))
  if (upgrade === 'UPGRADE' && useClientProtocol === true) {
    field.at('useClientProtocol').error('DR_H2_UPGRADE_CONFLICT', 'useClientProtocol must not be true when h2UpgradePolicy is UPGRADE; drop one of them')
  }
  const keepAlive = field.at('http2KeepAlive')
  if (readObject(keepAlive, ['interval', 'timeout'])) {
    for (const key of ['interval', 'timeout'] as const) {
      if (!keepAlive.at(key).present) keepAlive.at(key).error('REQUIRED', `http2KeepAlive.${key} is required when http2KeepAlive is set, e.g. ${key}: ${key === 'interval' ? '30s' : '5s'}`)
      else readDuration(keepAlive.at(key))
    }
  }
}
