// What the rules say, read from the mesh itself (mesh.explain), so the table compares what was
// observed with what is configured rather than with numbers written in the demo.

export const USERS = { jason: 'jason', others: 'everyone else' }

/** The configured share of each reviews version for jason and for everyone else, in percent. */
export function configuredSplit(client) {
  const split = {}
  for (const [group, headers] of [['jason', { 'end-user': 'jason' }], ['others', { 'end-user': 'alice' }]]) {
    const decision = client.explain({ method: 'GET', url: 'http://reviews:9080/reviews/0', headers })
    const total = decision.destinations.reduce((sum, d) => sum + d.weight, 0)
    const single = decision.destinations.length === 1
    split[group] = Object.fromEntries(decision.destinations.map((d) => [d.subset, single ? 100 : (100 * d.weight) / total]))
  }
  return split
}

/** The faults configured on ratings, as one line of text. */
export function configuredFaults(client) {
  const parts = []
  for (const [who, headers] of [['jason', { 'end-user': 'jason' }], ['others', {}]]) {
    const fault = client.explain({ method: 'GET', url: 'http://ratings:9080/ratings/0', headers }).fault
    if (fault?.delay) parts.push(`${who}: ${fault.delay.percentage}% delayed ${fault.delay.fixedDelayMs} ms`)
    if (fault?.abort) parts.push(`${who}: ${fault.abort.percentage}% aborted ${fault.abort.httpStatus ?? fault.abort.grpcStatus}`)
  }
  return parts.join('; ')
}

/** The timeout and retries of the ingress route to productpage, as one line of text. */
export function configuredResilience(gateway) {
  const decision = gateway.explain({ method: 'GET', url: 'http://bookinfo.example/productpage', headers: {} })
  const retries = decision.retries
  const parts = []
  if (decision.timeoutMs !== null) parts.push(`timeout ${decision.timeoutMs} ms`)
  if (retries) parts.push(`${retries.attempts} retries on ${retries.retryOn}${retries.perTryTimeoutMs !== null ? `, ${retries.perTryTimeoutMs} ms per try` : ''}`)
  return parts.join(', ')
}
