// The services the gRPC benchmark calls, in their own process so the client's CPU is measured alone:
// a @grpc/grpc-js server of shop.Reviews and a node:http2 server answering with gRPC-style trailers.
import { createServer } from 'node:http2'
import * as grpc from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'

const definition = loadSync(new URL('./reviews.proto', import.meta.url).pathname, { keepCase: true })
const { shop } = grpc.loadPackageDefinition(definition)
const server = new grpc.Server()
server.addService(shop.Reviews.service, { Get: (call, callback) => callback(null, { id: call.request.id, version: 'v1', text: 'great' }) })
const grpcPort = await new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))))

const h2 = createServer()
h2.on('stream', (stream) => {
  stream.resume()
  stream.respond({ ':status': 200, 'content-type': 'application/octet-stream' }, { waitForTrailers: true })
  stream.once('wantTrailers', () => stream.sendTrailers({ 'x-done': '1' }))
  stream.end('ok')
})
await new Promise((resolve) => h2.listen(0, '127.0.0.1', resolve))
process.send({ grpcPort, h2Port: h2.address().port })
process.on('disconnect', () => process.exit(0))
