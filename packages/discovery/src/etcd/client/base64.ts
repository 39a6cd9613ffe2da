/** The JSON gateway carries keys and values as base64 (protobuf `bytes` in proto3 JSON). */
export function toBase64(bytes: string | Uint8Array): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64')
}

export function fromBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8')
}

/**
 * The end of the range of every key starting with `prefix`: the prefix with its last byte that is
 * not 0xff plus one, what follows dropped (etcd clientv3 GetPrefixRangeEnd). A prefix of 0xff
 * bytes only ranges to the end of the keyspace, written as a single zero byte.
 */
export function prefixEnd(prefix: string): Uint8Array {
  const bytes = Buffer.from(prefix, 'utf8')
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1))
      end[i] = end[i]! + 1
      return end
    }
  }
  return Buffer.from([0])
}
