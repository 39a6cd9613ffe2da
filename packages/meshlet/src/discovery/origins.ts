/** Origins of resources read from a live source (`kubernetes:/apis/...`, `etcd:/meshlet/config/...`), not files. */
export function isLiveOrigin(origin: string): boolean {
  return origin.startsWith('kubernetes:') || origin.startsWith('etcd:')
}
