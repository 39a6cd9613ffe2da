// Starts the bookinfo-style system on loopback ports: ratings, then reviews v1/v2/v3, then
// productpage, each with its own mesh (its own labels, the rules in mesh/, and the endpoints of
// the services it calls, discovered as they start), then the ingress: a meshlet gateway
// implementing the Gateway istio-system/bookinfo-gateway, through which the traffic enters.
// close() stops everything that was started, in reverse order.
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { createGateway, createMesh } from 'meshlet'
import { listenOnLoopback } from './services/listen.mjs'
import { productpageApp } from './services/productpage.mjs'
import { ratingsApp } from './services/ratings.mjs'
import { reviewsApp } from './services/reviews.mjs'

export const RULES_DIR = fileURLToPath(new URL('./mesh/', import.meta.url))
export const REVIEWS_VERSIONS = ['v1', 'v2', 'v3']

/**
 * @param {object} [options]
 * @param {string} [options.rulesDir] the Istio rules every service loads (default: ./mesh)
 * @param {import('@meshlet/core').Clock} [options.clock] one clock for every mesh (tests pass a FakeClock)
 * @param {(service: string) => () => number} [options.randomFor] the random source of each service's mesh
 */
export async function startBookinfo(options = {}) {
  const rulesDir = options.rulesDir ?? RULES_DIR
  const closers = []
  const meshes = {}
  const meshFor = async (service, labels, endpoints) => {
    const mesh = await createMesh({
      files: [rulesDir],
      namespace: 'default',
      labels,
      endpoints,
      clock: options.clock,
      random: options.randomFor?.(service),
    })
    meshes[service] = mesh
    closers.push(() => mesh.close())
    return mesh
  }
  const serveExpress = async (app) => {
    const server = await listenOnLoopback(createServer(app))
    closers.push(server.close)
    return server.port
  }
  const endpoint = (port, labels) => ({ address: '127.0.0.1', port, labels })

  try {
    const ratingsMesh = await meshFor('ratings', { app: 'ratings', version: 'v1' }, {})
    const ratingsPort = await serveExpress(ratingsApp(ratingsMesh))
    const ratings = [endpoint(ratingsPort, { app: 'ratings', version: 'v1' })]

    const reviews = []
    for (const version of REVIEWS_VERSIONS) {
      const mesh = await meshFor(`reviews-${version}`, { app: 'reviews', version }, { ratings })
      const app = await reviewsApp(mesh, version)
      await app.listen({ port: 0, host: '127.0.0.1' })
      closers.push(() => app.close())
      reviews.push(endpoint(app.server.address().port, { app: 'reviews', version }))
    }

    const productpageMesh = await meshFor('productpage', { app: 'productpage', version: 'v1' }, { reviews })
    const productpagePort = await serveExpress(productpageApp(productpageMesh))
    const productpage = [endpoint(productpagePort, { app: 'productpage', version: 'v1' })]

    // The ingress gateway: traffic from outside enters here and is routed by the VirtualService
    // bound to the Gateway (mesh/gateway.yaml), with the same stack as every mesh call.
    const gateway = await createGateway({
      files: [rulesDir],
      gateway: 'istio-system/bookinfo-gateway',
      endpoints: { productpage },
      clock: options.clock,
      random: options.randomFor?.('ingress'),
    })
    closers.push(() => gateway.close())
    const listening = await gateway.listen({ host: '127.0.0.1', ports: { 80: 0 } })
    const ingressPort = listening.portOf(80)
    // What a user's browser is, here: plain HTTP to the gateway's port.
    const ingress = {
      url: `http://127.0.0.1:${ingressPort}`,
      fetch: (path, init) => fetch(`http://127.0.0.1:${ingressPort}${path}`, init),
    }
    // The mesh the table reads the configured split and faults from (mesh.explain), as a sidecar would see them.
    const client = await meshFor('observer', { app: 'observer' }, { productpage, reviews, ratings })
    return {
      client,
      gateway,
      ingress,
      meshes,
      endpoints: { productpage, reviews, ratings, ingress: [{ address: '127.0.0.1', port: ingressPort, labels: {} }] },
      close: () => closeAll(closers),
    }
  } catch (error) {
    await closeAll(closers)
    throw error
  }
}

async function closeAll(closers) {
  for (const close of closers.splice(0).reverse()) await close()
}
