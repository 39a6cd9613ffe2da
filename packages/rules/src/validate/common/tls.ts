import type { Field } from '../field.js'
import { readBool, readEnum, readList, readObject, readString } from './read.js'

export const CLIENT_TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] as const

const CLIENT_TLS_FIELDS = [
  'mode',
  'clientCertificate',
  'privateKey',
  'caCertificates',
  'credentialName',
  'subjectAltNames',
  'sni',
  'insecureSkipVerify',
  'caCrl',
] as const

/**
 * `ClientTLSSettings` (DestinationRule `tls`), with the field rules of Istio's
 * `agent/validation.go` ValidateTLS:
 * - insecureSkipVerify with SIMPLE forbids caCertificates, credentialName and subjectAltNames;
 *   with MUTUAL it forbids caCertificates and subjectAltNames (nothing would be verified);
 * - SIMPLE/MUTUAL with credentialName take every file from the secret, so the file fields must be empty;
 * - MUTUAL without credentialName needs clientCertificate and privateKey.
 */
export function validateClientTls(field: Field): void {
  if (!readObject(field, CLIENT_TLS_FIELDS)) return
  const mode = readEnum(field.at('mode'), CLIENT_TLS_MODES) ?? 'DISABLE'
  const text = (key: (typeof CLIENT_TLS_FIELDS)[number]) => readString(field.at(key)) ?? ''
  const clientCertificate = text('clientCertificate')
  const privateKey = text('privateKey')
  const caCertificates = text('caCertificates')
  const credentialName = text('credentialName')
  const caCrl = text('caCrl')
  text('sni')
  const subjectAltNames = readList(field.at('subjectAltNames'))
  subjectAltNames.forEach((name) => readString(name))
  const insecureSkipVerify = readBool(field.at('insecureSkipVerify')) ?? false

  if (insecureSkipVerify) {
    const verifying: string[] = []
    if (caCertificates !== '') verifying.push('caCertificates')
    if (mode === 'SIMPLE' && credentialName !== '') verifying.push('credentialName')
    if (subjectAltNames.length > 0) verifying.push('subjectAltNames')
    if ((mode === 'SIMPLE' || mode === 'MUTUAL') && verifying.length > 0) {
      field.at('insecureSkipVerify').error(
        'TLS_SKIP_VERIFY_CONFLICT',
        `insecureSkipVerify: true skips the server certificate check, so ${verifying.join(', ')} cannot be set with it in ${mode} mode; remove one or the other`,
      )
    }
  }

  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    const files = { clientCertificate, caCertificates, privateKey, caCrl }
    const set = Object.entries(files).filter(([, value]) => value !== '').map(([key]) => key)
    if (set.length > 0) {
      field.at('credentialName').error(
        'TLS_CREDENTIAL_CONFLICT',
        `credentialName supplies the certificates, so ${set.join(', ')} must not be set as well; remove them or drop credentialName`,
      )
    }
    return
  }

  if (mode === 'MUTUAL') {
    if (clientCertificate === '') field.at('clientCertificate').error('REQUIRED', 'clientCertificate is required for MUTUAL TLS (or set credentialName)')
    if (privateKey === '') field.at('privateKey').error('REQUIRED', 'privateKey is required for MUTUAL TLS (or set credentialName)')
  }
}
