import { describe, expect, it } from 'vitest'
import { listening, send, upstream } from './support.js'
import { GATEWAY_API_RULES } from './http-route-rules.js'

describe('the admin server of a gateway', () => {
  it('serves /gateway: ports, hosts and routes, the route status of every parentRef, and the inbound counters', async () => {
    const v1 = await upstream({ name: 'v1' })
    const { gateway, port } = await listening({ yaml: GATEWAY_API_RULES, gateway: 'infra/web', endpoints: { 'v1.infra.svc.cluster.local': [{ address: '127.0.0.1', port: v1.port }] } })
    await send(port(80), { host: 'web.example', path: '/match' })
    await send(port(80), { host: 'nowhere.example', path: '/x' })
    const admin = await gateway.listenAdmin({ port: 0 })
    try {
      const view = (await (await fetch(`http://127.0.0.1:${admin.port}/gateway`)).json()) as {
        kind: string
        ports: Array<{ port: number; hosts: Array<{ host: string; routes: Array<{ source: string; match: string }> }> }>
        routeStatus: Array<{ route: string; accepted: boolean; reason: string }>
        stats: Record<string, number>
      }
      expect(view.kind).toBe('Gateway.gateway.networking.k8s.io')
      expect(view.ports.map((p) => p.port)).toEqual([80, 8080])
      const exact = view.ports[0]!.hosts.find((h) => h.host === '*')!.routes[0]!
      expect(exact).toMatchObject({ source: 'HTTPRoute infra/paths', match: 'path exact /match/exact' })
      expect(view.routeStatus).toContainEqual(expect.objectContaining({ route: 'other/elsewhere', accepted: false, reason: 'NotAllowedByListeners' }))
      expect(view.stats).toMatchObject({ downstream_rq_total: 2, downstream_rq_2xx: 1, downstream_rq_4xx: 1 })
      const state = (await (await fetch(`http://127.0.0.1:${admin.port}/ui/state.json`)).json()) as { gateway: { name: string } | null }
      expect(state.gateway?.name).toBe('infra/web')
    } finally {
      await admin.close()
    }
  })
})
