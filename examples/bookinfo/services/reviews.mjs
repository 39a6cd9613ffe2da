// reviews (Fastify), in three versions: v1 shows no stars, v2 black stars and v3 red stars; v2 and
// v3 ask ratings for the stars through the mesh. When ratings fails (a fault rule aborts 10% of
// calls), reviews still answers, saying why the stars are missing, as bookinfo's reviews does.
import Fastify from 'fastify'
import { meshletFastify } from '@meshlet/fastify'

const REVIEWS = [
  { reviewer: 'Reviewer1', text: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!' },
  { reviewer: 'Reviewer2', text: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.' },
]
const STAR_COLOR = { v1: null, v2: 'black', v3: 'red' }

export async function reviewsApp(mesh, version) {
  const app = Fastify()
  await app.register(meshletFastify, { mesh, host: 'reviews:9080' })
  app.get('/reviews/:id', async (request) => {
    const color = STAR_COLOR[version]
    if (color === null) return { id: request.params.id, version, reviews: REVIEWS, ratings: null }
    const answer = await mesh.fetch(`http://ratings:9080/ratings/${request.params.id}`)
    if (!answer.ok) {
      await answer.body?.cancel()
      return { id: request.params.id, version, reviews: REVIEWS, ratings: { error: answer.status, reason: answer.headers.get('x-meshlet-reason') } }
    }
    const { ratings, endUser } = await answer.json()
    return {
      id: request.params.id,
      version,
      reviews: REVIEWS.map((review) => ({ ...review, stars: ratings[review.reviewer], color })),
      ratings: { endUserSeenByRatings: endUser },
    }
  })
  return app
}
