/**
 * `exportTo` as Istio reads it (`istio:pkg/config/visibility`): absent or `*` means every
 * namespace, `.` the rule's own namespace, `~` none (ServiceEntry only), anything else a namespace.
 */
export function isExportedTo(exportTo: readonly string[] | undefined, ruleNamespace: string, namespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true
  return exportTo.some((entry) => entry === '*' || entry === namespace || (entry === '.' && ruleNamespace === namespace))
}

/** Kubernetes label selection: every selector label present with the same value. */
export function labelsMatch(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true
  return Object.entries(selector).every(([key, value]) => labels[key] === value)
}
