import { describe, expect, it } from 'vitest'
import { compileYaml } from './helpers.js'

const serviceEntry = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: shop}
spec:
  hosts: [payments.example.com, "*.payments.example.com"]
  ports:
  - {number: 443, name: https, protocol: HTTPS}
  resolution: STATIC
  endpoints:
  - address: 10.0.0.1
    labels: {version: v1}
  - address: 10.0.0.2
    weight: 3
    locality: eu/west-1
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments-vms, namespace: shop}
spec:
  hosts: [payments-vms.example.com]
  ports:
  - {number: 443, name: https, protocol: HTTPS}
  resolution: STATIC
  workloadSelector:
    labels: {app: payments}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: shop}
spec:
  address: 10.0.1.1
  labels: {app: payments, version: v2}
  ports: {https: 8443}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: other-namespace, namespace: default}
spec:
  address: 10.0.9.9
  labels: {app: payments}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: other-app, namespace: shop}
spec:
  address: 10.0.8.8
  labels: {app: ledger}
`

describe('ServiceEntries', () => {
  it('declares hosts, ports, resolution and the default location', async () => {
    const entry = (await compileYaml(serviceEntry)).lookupServiceEntry('payments.example.com')!
    expect(entry.hosts).toEqual(['payments.example.com', '*.payments.example.com'])
    expect(entry.ports).toEqual([{ number: 443, name: 'https', protocol: 'HTTPS', targetPort: undefined }])
    expect(entry.resolution).toBe('STATIC')
    expect(entry.location).toBe('MESH_EXTERNAL')
  })

  it('lists inline endpoints with weight 1 by default', async () => {
    const entry = (await compileYaml(serviceEntry)).lookupServiceEntry('payments.example.com')!
    expect(entry.endpoints.map((endpoint) => [endpoint.address, endpoint.weight])).toEqual([
      ['10.0.0.1', 1],
      ['10.0.0.2', 3],
    ])
    expect(entry.endpoints[1]!.locality).toBe('eu/west-1')
  })

  it('takes the WorkloadEntries its workloadSelector selects in its own namespace', async () => {
    const entry = (await compileYaml(serviceEntry)).lookupServiceEntry('payments-vms.example.com')!
    expect(entry.endpoints.map((endpoint) => endpoint.address)).toEqual(['10.0.1.1'])
    expect(entry.endpoints[0]).toMatchObject({ ports: { https: 8443 }, labels: { app: 'payments', version: 'v2' }, weight: 1, source: { name: 'vm-1' } })
  })

  it('gives a selected WorkloadEntry its weight, locality and network', async () => {
    const yaml = serviceEntry.replace('  ports: {https: 8443}', '  ports: {https: 8443}\n  weight: 4\n  locality: eu/west-2\n  network: net-a')
    const entry = (await compileYaml(yaml)).lookupServiceEntry('payments-vms.example.com')!
    expect(entry.endpoints[0]).toMatchObject({ address: '10.0.1.1', weight: 4, locality: 'eu/west-2', network: 'net-a' })
  })

  it('finds a host through a wildcard and makes it a known service', async () => {
    const snapshot = await compileYaml(serviceEntry)
    expect(snapshot.lookupServiceEntry('eu.payments.example.com')?.ref.name).toBe('payments')
    expect(snapshot.lookupServiceEntry('payments.example.org')).toBeUndefined()
  })

  it('expands a short host in the namespace of the ServiceEntry', async () => {
    const snapshot = await compileYaml(serviceEntry.replace('hosts: [payments.example.com, "*.payments.example.com"]', 'hosts: [payments]'))
    expect(snapshot.serviceEntries[0]!.hosts).toEqual(['payments.shop.svc.cluster.local'])
  })
})
