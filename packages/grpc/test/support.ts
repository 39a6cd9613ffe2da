import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'

const definition = loadSync(fileURLToPath(new URL('./fixtures/reviews.proto', import.meta.url)), { keepCase: true })
const loaded = grpc.loadPackageDefinition(definition) as unknown as { shop: { Reviews: grpc.ServiceClientConstructor } }

/** The generated client class of shop.Reviews, as an application would use it. */
export const ReviewsClient = loaded.shop.Reviews

export interface Review {
  readonly id: string
  readonly version: string
  readonly text: string
}

export interface ReviewsBehaviour {
  get?(call: grpc.ServerUnaryCall<{ id: string }, Review>, callback: grpc.sendUnaryData<Review>): void
  list?(call: grpc.ServerWritableStream<{ id: string }, Review>): void
}

/** A real @grpc/grpc-js server of shop.Reviews on 127.0.0.1, counting its calls. */
export interface ReviewsServer {
  port: number
  readonly version: string
  calls: number
  close(): Promise<void>
}

export async function startReviews(version: string, behaviour: ReviewsBehaviour = {}): Promise<ReviewsServer> {
  const server = new grpc.Server()
  const state: ReviewsServer = {
    port: 0,
    version,
    calls: 0,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  }
  server.addService(ReviewsClient.service, {
    Get: (call: grpc.ServerUnaryCall<{ id: string }, Review>, callback: grpc.sendUnaryData<Review>) => {
      state.calls++
      if (behaviour.get) behaviour.get(call, callback)
      else callback(null, { id: call.request.id, version, text: 'great' })
    },
    Collect: (call: grpc.ServerReadableStream<{ id: string }, Review>, callback: grpc.sendUnaryData<Review>) => {
      state.calls++
      const ids: string[] = []
      call.on('data', (request: { id: string }) => ids.push(request.id))
      call.on('end', () => callback(null, { id: ids.join(','), version, text: `${ids.length} reviews` }))
    },
    List: (call: grpc.ServerWritableStream<{ id: string }, Review>) => {
      state.calls++
      if (behaviour.list) return behaviour.list(call)
      for (const text of ['one', 'two', 'three']) call.write({ id: call.request.id, version, text })
      call.end()
    },
  })
  state.port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))))
  return state
}

/** Calls Get and resolves with the review or rejects with the gRPC error. */
export function get(client: grpc.Client, id: string, metadata = new grpc.Metadata(), options: grpc.CallOptions = {}): Promise<Review> {
  return new Promise((resolve, reject) => {
    ;(client as unknown as { Get: (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, value?: Review) => void) => void }).Get(
      { id },
      metadata,
      options,
      (error, value) => (error ? reject(error) : resolve(value!)),
    )
  })
}

/** Calls List and collects the messages, then the status (or the error, with the messages before it). */
export function list(client: grpc.Client, id: string): Promise<{ messages: Review[]; error: grpc.ServiceError | undefined }> {
  return new Promise((resolve) => {
    const messages: Review[] = []
    const call = (client as unknown as { List: (request: object) => grpc.ClientReadableStream<Review> }).List({ id })
    call.on('data', (message: Review) => messages.push(message))
    call.on('error', (error: grpc.ServiceError) => resolve({ messages, error }))
    call.on('end', () => resolve({ messages, error: undefined }))
  })
}

/** Calls Collect, writing each id as its own message with a pause between them, and resolves with the answer. */
export function collect(client: grpc.Client, ids: readonly string[]): Promise<Review> {
  return new Promise((resolve, reject) => {
    const call = (client as unknown as { Collect: (callback: (error: grpc.ServiceError | null, value?: Review) => void) => grpc.ClientWritableStream<{ id: string }> }).Collect((error, value) =>
      error ? reject(error) : resolve(value!),
    )
    let index = 0
    const writeNext = (): void => {
      if (index === ids.length) {
        call.end()
        return
      }
      call.write({ id: ids[index++]! })
      setTimeout(writeNext, 5)
    }
    writeNext()
  })
}
