// ratings (Express): the stars each reviewer gave. It calls nothing, but it still runs the meshlet
// middleware, so it sees the request id and end-user its callers handed on, and shows the
// end-user back (the demo uses that to show propagation across two hops).
import express from 'express'
import { meshletExpress } from '@meshlet/express'

const STARS = { Reviewer1: 5, Reviewer2: 4 }

export function ratingsApp(mesh) {
  const app = express()
  app.use(meshletExpress(mesh, { host: 'ratings:9080' }))
  app.get('/ratings/:id', (req, res) => {
    res.json({ id: req.params.id, ratings: STARS, endUser: req.headers['end-user'] ?? null })
  })
  return app
}
