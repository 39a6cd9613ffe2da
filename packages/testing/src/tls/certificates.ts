import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import { bitString, boolean, explicit, generalizedTime, implicit, integer, objectIdentifier, octetString, sequence, set, utf8String } from './der.js'

/** A PEM certificate and its PEM private key. */
export interface CertificateAndKey {
  readonly cert: string
  readonly key: string
}

/** A certificate authority made for one test run, and server certificates it signs. */
export interface TestCertificateAuthority extends CertificateAndKey {
  /** A server certificate for these names (DNS names or IP addresses), valid for TLS server auth. */
  issue(commonName: string, names: readonly string[]): CertificateAndKey
}

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const

/**
 * Generates a fresh P-256 certificate authority, in process, with no openssl: certificates are
 * written in DER by hand (RFC 5280) and signed with node:crypto. Strict TLS clients accept them
 * (Go's crypto/x509, as kubectl uses, and Node's): the CA has basicConstraints CA and keyCertSign;
 * server certificates carry their names as subjectAltName and serverAuth usage.
 */
export function createTestCertificateAuthority(commonName = 'meshlet test CA'): TestCertificateAuthority {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const caName = distinguishedName(commonName)
  const caKeyId = keyIdentifier(caKeys.publicKey)
  const caCert = certificate({
    subject: caName,
    issuer: caName,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      extension(OID.basicConstraints, sequence(boolean(true)), true),
      // keyCertSign (bit 5) and cRLSign (bit 6): `03 02 01 06` in DER.
      extension(OID.keyUsage, Buffer.from([0x03, 0x02, 0x01, 0x06]), true),
      extension(OID.subjectKeyIdentifier, octetString(caKeyId), false),
    ],
  })
  return {
    cert: pem('CERTIFICATE', caCert),
    key: caKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    issue(serverName, names) {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const alternativeNames = names.map((name) => (isIP(name) ? implicit(7, ipBytes(name)) : implicit(2, Buffer.from(name, 'ascii'))))
      const der = certificate({
        subject: distinguishedName(serverName),
        issuer: caName,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          extension(OID.basicConstraints, sequence(), true),
          // digitalSignature (bit 0): `03 02 07 80`.
          extension(OID.keyUsage, Buffer.from([0x03, 0x02, 0x07, 0x80]), true),
          extension(OID.extendedKeyUsage, sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth)), false),
          extension(OID.subjectAltName, sequence(...alternativeNames), false),
          extension(OID.authorityKeyIdentifier, sequence(implicit(0, caKeyId)), false),
        ],
      })
      return { cert: pem('CERTIFICATE', der), key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }
    },
  }
}

interface CertificateFields {
  readonly subject: Buffer
  readonly issuer: Buffer
  readonly publicKey: KeyObject
  readonly signingKey: KeyObject
  readonly extensions: readonly Buffer[]
}

function certificate(fields: CertificateFields): Buffer {
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256))
  const notBefore = new Date(Date.now() - 60 * 60 * 1000)
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 60 * 60 * 1000)
  const serial = randomBytes(16)
  serial[0]! &= 0x7f
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    fields.issuer,
    sequence(generalizedTime(notBefore), generalizedTime(notAfter)),
    fields.subject,
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...fields.extensions)),
  )
  // node:crypto signs ECDSA in DER (an ASN.1 SEQUENCE of r and s), which is what X.509 wants.
  const signature = sign('sha256', tbs, fields.signingKey)
  return sequence(tbs, algorithm, bitString(signature))
}

function distinguishedName(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))))
}

function extension(oid: string, value: Buffer, critical: boolean): Buffer {
  return critical ? sequence(objectIdentifier(oid), boolean(true), octetString(value)) : sequence(objectIdentifier(oid), octetString(value))
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest()
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number))
  const [head = '', tail = ''] = address.split('::')
  const headParts = head === '' ? [] : head.split(':')
  const tailParts = tail === '' ? [] : tail.split(':')
  const groups = [...headParts, ...new Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
  return Buffer.from(groups.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]))
}

function pem(label: string, der: Buffer): string {
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trim()
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`
}
