// The benchmark's upstream, in its own process so that its work is not counted against the
// clients: a plain node:http server answering every request with the same small JSON body.
// Sends its port to the parent over IPC, exits when the parent disconnects.
import { createServer } from 'node:http'

const BODY = Buffer.from(JSON.stringify({ id: 1, title: 'The Comedy of Errors', stars: 4, reviewer: 'Reviewer1' }))

const server = createServer((req, res) => {
  // Drain any request body, then answer.
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length })
    res.end(BODY)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }))
process.on('disconnect', () => process.exit(0))
