import { describe, expect, it } from 'vitest'
import { mesh, upstream } from '../helpers.js'

describe('meshlet.io/port on a WorkloadEntry (what mesh.register({ port }) writes)', () => {
  it('is the endpoint port for every service port the ports map does not name', async () => {
    const server = await upstream({ name: 'reviews-1' })
    const running = await mesh({
      namespace: 'shop',
      yaml: `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: reviews }
spec:
  hosts: [reviews.fleet.internal]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 9080, name: http, protocol: HTTP }]
  workloadSelector: { labels: { app: reviews } }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: reviews-1
  annotations: { meshlet.io/port: "${server.port}" }
spec:
  address: 127.0.0.1
  labels: { app: reviews }
`,
    })
    const response = await running.fetch('http://reviews.fleet.internal:9080/')
    expect(response.status).toBe(200)
    expect(response.headers.get('x-upstream')).toBe('reviews-1')
  })

  it('is rejected when it is not a port number', async () => {
    await expect(
      mesh({
        yaml: `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: a, annotations: { meshlet.io/port: "99999" } }
spec: { address: 127.0.0.1 }
`,
      }),
    ).rejects.toThrow(/metadata\.annotations\["meshlet\.io\/port"\]: port number 99999 must be in the range 1\.\.65535/)
  })
})
