#!/usr/bin/env node
// Heap held by a mesh for N services × M endpoints, in a fresh process:
//   node --expose-gc benchmarks/memory/endpoints.mjs [services=100] [endpointsPerService=100] [serviceentry|option]
// The endpoints come from ServiceEntries (STATIC, one per service) or from the `endpoints` option.
// Figures are heapUsed after a full collection, minus the heap before createMesh (meshlet already
// imported): after createMesh, then after one call to every service (which builds each service's
// balancer and endpoint state; the calls go to loopback addresses where nothing listens, so each
// ends quickly as a 503 after its retries).
import { createMesh } from 'meshlet'

const services = Number(process.argv[2] ?? 100)
const perService = Number(process.argv[3] ?? 100)
const source = process.argv[4] ?? 'serviceentry'
if (!globalThis.gc) throw new Error('run with --expose-gc')
if (perService > 254 || services > 65_000) throw new Error('at most 254 endpoints per service (one loopback /24 each) and 65,000 services')

const address = (s, e) => `127.${1 + (s >> 8)}.${s & 255}.${1 + e}`
const PORT = 9 // discard: nothing listens on loopback here, so a connection is refused at once

function serviceEntries() {
  const docs = []
  for (let s = 0; s < services; s++) {
    const endpoints = Array.from({ length: perService }, (_, e) => ({ address: address(s, e), labels: { version: e % 2 ? 'v1' : 'v2', zone: `z${e % 3}` } }))
    docs.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: `svc-${s}`, namespace: 'default' },
      spec: { hosts: [`svc-${s}.example.internal`], location: 'MESH_INTERNAL', resolution: 'STATIC', ports: [{ number: PORT, name: 'http', protocol: 'HTTP' }], endpoints },
    })
  }
  return docs
}

function endpointOption() {
  const out = {}
  for (let s = 0; s < services; s++) out[`svc-${s}.example.internal`] = Array.from({ length: perService }, (_, e) => ({ address: address(s, e), port: PORT, labels: { version: e % 2 ? 'v1' : 'v2' } }))
  return out
}

const heap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
const input = source === 'option' ? { endpoints: endpointOption() } : { resources: serviceEntries() }
const before = heap()
const mesh = await createMesh(input)
const created = heap()
for (let s = 0; s < services; s++) {
  const answer = await mesh.fetch(`http://svc-${s}.example.internal:${PORT}/`)
  await answer.arrayBuffer()
}
const called = heap()
console.log(JSON.stringify({ services, perService, source, endpoints: services * perService, createdMB: (created - before) / 2 ** 20, afterCallsMB: (called - before) / 2 ** 20 }))
await mesh.close()
