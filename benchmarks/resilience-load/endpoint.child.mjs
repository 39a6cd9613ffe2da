// One upstream endpoint in a process of its own, so that killing the process is what a crashed
// pod looks like to its callers: open connections reset, new ones refused. Argument: the status
// to answer every request with (default 200). Sends its port over IPC, answers { count } to a
// 'count' message with the requests it has received, exits when the parent disconnects.
import { createServer } from 'node:http'

const status = Number(process.argv[2] ?? 200)
const body = Buffer.from(JSON.stringify({ id: 1, title: 'The Comedy of Errors', pid: process.pid }))
let count = 0

const server = createServer((request, response) => {
  count += 1
  request.resume()
  request.on('end', () => {
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length })
    response.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('message', (message) => {
  if (message === 'count') process.send({ count })
})
process.on('disconnect', () => process.exit(0))
