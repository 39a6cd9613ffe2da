// One proxy under test, in its own process (so its CPU is its own): `meshlet` (createGateway
// listening), or `plain` (a node:http server forwarding to the upstream with an undici Pool, the
// same routing written by hand). Sends its port to the parent; exits when the parent disconnects.
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { Pool } from 'undici'
import { createGateway } from 'meshlet'

const [kind, upstreamPortText] = process.argv.slice(2)
const upstreamPort = Number(upstreamPortText)

if (kind === 'meshlet') {
  const gateway = await createGateway({
    yaml: readFileSync(new URL('./rules.yaml', import.meta.url), 'utf8'),
    gateway: 'istio-system/bench',
    endpoints: { items: [{ address: '127.0.0.1', port: upstreamPort }] },
  })
  const server = await gateway.listen({ host: '127.0.0.1', ports: { 80: 0 } })
  process.send({ port: server.portOf(80) })
  process.on('disconnect', () => void gateway.close().then(() => process.exit(0)))
} else {
  // The plain reverse proxy: what a team would write by hand with undici, doing the same work as
  // the gateway per request (Host and path routing, x-forwarded-for/-proto, streamed bodies).
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128 })
  const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection'])
  const server = createServer(async (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0]
    if (host !== 'shop.example') return void res.writeHead(404).end()
    if (req.url.startsWith('/admin') && req.headers['x-admin'] === 'yes') return void res.writeHead(403).end()
    if (!req.url.startsWith('/items')) return void res.writeHead(404).end()
    const headers = {}
    for (const name in req.headers) if (!HOP.has(name)) headers[name] = req.headers[name]
    headers['x-forwarded-for'] = req.socket.remoteAddress
    headers['x-forwarded-proto'] = 'http'
    try {
      const upstream = await pool.request({ method: req.method, path: req.url, headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : req })
      const out = {}
      for (const name in upstream.headers) if (!HOP.has(name)) out[name] = upstream.headers[name]
      res.writeHead(upstream.statusCode, out)
      upstream.body.pipe(res)
    } catch {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    }
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
  process.on('disconnect', () => process.exit(0))
}
