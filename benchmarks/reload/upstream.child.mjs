// The upstream of benchmarks/reload, in its own process so the mesh's process measures only itself.
import { createServer } from 'node:http'
const server = createServer((req, res) => res.end('ok'))
server.listen(0, '127.0.0.1', () => process.send(server.address().port))
process.on('disconnect', () => process.exit(0))
