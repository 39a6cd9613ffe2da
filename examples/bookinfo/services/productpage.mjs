// productpage (Express): the page the users ask for. It calls reviews through the mesh; the
// meshlet middleware hands the user's `end-user` header (and the request id and trace headers) on
// to that call, so the reviews VirtualService can route jason to v2 without any code here.
import express from 'express'
import { meshletExpress } from '@meshlet/express'

const PRODUCT = { id: 0, title: 'The Comedy of Errors', author: 'William Shakespeare' }

export function productpageApp(mesh) {
  const app = express()
  app.use(meshletExpress(mesh, { host: 'productpage:9080' }))
  app.get('/productpage', async (req, res) => {
    const answer = await mesh.fetch(`http://reviews:9080/reviews/${PRODUCT.id}`)
    if (!answer.ok) {
      await answer.body?.cancel()
      res.status(502).json({ product: PRODUCT, reviews: { error: answer.status, reason: answer.headers.get('x-meshlet-reason') } })
      return
    }
    res.json({ product: PRODUCT, requestId: req.headers['x-request-id'], reviews: await answer.json() })
  })
  return app
}
