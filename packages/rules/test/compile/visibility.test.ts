import { describe, expect, it } from 'vitest'
import { compileYaml, destinationRule } from './helpers.js'

const serviceEntry = (exportTo: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments, namespace: prod }
spec:
  hosts: [payments.example.com]
  exportTo: ${exportTo}
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  resolution: DNS
---
`

describe('exportTo of DestinationRules and ServiceEntries', () => {
  it('applies a DestinationRule exported only to its own namespace in that namespace alone', async () => {
    const yaml = destinationRule('reviews', 'host: reviews.prod.svc.cluster.local\nexportTo: ["."]\ntrafficPolicy: {loadBalancer: {simple: RANDOM}}', 'prod')
    const elsewhere = await compileYaml(yaml, { namespace: 'default' })
    const inside = await compileYaml(yaml, { namespace: 'prod' })
    expect(elsewhere.lookupDestinationRule('reviews.prod.svc.cluster.local')).toBeUndefined()
    expect(elsewhere.trafficPolicyFor('reviews.prod.svc.cluster.local', undefined, undefined).loadBalancer.algorithm).toBe('LEAST_REQUEST')
    expect(inside.trafficPolicyFor('reviews.prod.svc.cluster.local', undefined, undefined).loadBalancer.algorithm).toBe('RANDOM')
  })

  it('declares the hosts of a ServiceEntry only in the namespaces it is exported to', async () => {
    expect((await compileYaml(serviceEntry('["."]'), { namespace: 'default' })).lookupServiceEntry('payments.example.com')).toBeUndefined()
    expect((await compileYaml(serviceEntry('["."]'), { namespace: 'prod' })).lookupServiceEntry('payments.example.com')).toBeDefined()
    expect((await compileYaml(serviceEntry('["default"]'), { namespace: 'default' })).lookupServiceEntry('payments.example.com')).toBeDefined()
    expect((await compileYaml(serviceEntry('["~"]'), { namespace: 'prod' })).lookupServiceEntry('payments.example.com')).toBeUndefined()
  })
})
