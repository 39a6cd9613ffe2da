/** SHA-256 of a rule file's bytes, hex. node:crypto loads only when a file is compared. */
export async function sourceDigest(bytes: Uint8Array): Promise<string> {
  const { createHash } = await import('node:crypto')
  return createHash('sha256').update(bytes).digest('hex')
}
