import type { Field } from '../field.js'
import { readBool, readEnum, readList, readObject, readString } from '../common/read.js'

export const SERVER_TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'] as const
const TLS_VERSIONS = ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'] as const

const TLS_KEYS = [
  'httpsRedirect',
  'mode',
  'serverCertificate',
  'privateKey',
  'caCertificates',
  'caCrl',
  'credentialName',
  'credentialNames',
  'tlsCertificates',
  'subjectAltNames',
  'verifyCertificateSpki',
  'verifyCertificateHash',
  'minProtocolVersion',
  'maxProtocolVersion',
  'cipherSuites',
] as const

/**
 * A server's `tls` (`validation.go` validateTLSOptions): SIMPLE, MUTUAL and OPTIONAL_MUTUAL need a
 * certificate and key (files, or `credentialName`), MUTUAL and OPTIONAL_MUTUAL also the client CA;
 * ISTIO_MUTUAL takes everything from the mesh, so no file may be set; the minimum TLS version may
 * not exceed the maximum. Returns the mode (undefined when absent).
 */
export function validateServerTls(field: Field): { mode: string | undefined; httpsRedirect: boolean } | undefined {
  if (!readObject(field, TLS_KEYS, 'an object like {mode: SIMPLE, serverCertificate: ..., privateKey: ...}')) return undefined
  const httpsRedirect = readBool(field.at('httpsRedirect')) ?? false
  const mode = readEnum(field.at('mode'), SERVER_TLS_MODES)
  const text = (key: (typeof TLS_KEYS)[number]) => readString(field.at(key)) ?? ''
  const serverCertificate = text('serverCertificate')
  const privateKey = text('privateKey')
  const caCertificates = text('caCertificates')
  text('caCrl')
  const credentialName = text('credentialName')
  for (const key of ['credentialNames', 'subjectAltNames', 'verifyCertificateSpki', 'verifyCertificateHash', 'cipherSuites'] as const) {
    for (const item of readList(field.at(key))) readString(item)
  }
  const credentialNames = readList(field.at('credentialNames')).length
  const tlsCertificates = readList(field.at('tlsCertificates'))
  for (const entry of tlsCertificates) readObject(entry, ['serverCertificate', 'privateKey', 'caCertificates'])
  const fromSecret = credentialName !== '' || credentialNames > 0
  const fromFiles = serverCertificate !== '' || tlsCertificates.length > 0

  if (mode === 'ISTIO_MUTUAL') {
    const set = { serverCertificate, privateKey, caCertificates, credentialName }
    for (const [key, value] of Object.entries(set)) {
      if (value !== '') field.at(key).error('GATEWAY_TLS_CONFLICT', `ISTIO_MUTUAL takes the certificates from the mesh, so ${key} must not be set`)
    }
  } else if (mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') {
    if (!fromSecret && !fromFiles) {
      if (serverCertificate === '') field.at('serverCertificate').error('REQUIRED', `${mode} TLS requires a server certificate (serverCertificate, a PEM file path; or credentialName)`)
      if (privateKey === '') field.at('privateKey').error('REQUIRED', `${mode} TLS requires a private key (privateKey, a PEM file path; or credentialName)`)
    } else if (serverCertificate !== '' && privateKey === '') {
      field.at('privateKey').error('REQUIRED', `${mode} TLS requires privateKey together with serverCertificate`)
    }
    if (mode !== 'SIMPLE' && !fromSecret && caCertificates === '') {
      field.at('caCertificates').error('REQUIRED', `${mode} TLS requires a client CA bundle (caCertificates) to verify client certificates`)
    }
  }
  const min = readEnum(field.at('minProtocolVersion'), TLS_VERSIONS)
  const max = readEnum(field.at('maxProtocolVersion'), TLS_VERSIONS)
  if (min !== undefined && max !== undefined && min !== 'TLS_AUTO' && max !== 'TLS_AUTO' && TLS_VERSIONS.indexOf(min) > TLS_VERSIONS.indexOf(max)) {
    field.at('minProtocolVersion').error('GATEWAY_TLS_VERSION', `minProtocolVersion ${min} is above maxProtocolVersion ${max}`)
  }
  return { mode, httpsRedirect }
}
