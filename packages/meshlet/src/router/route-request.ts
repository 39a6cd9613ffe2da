import { requestPort } from '@meshlet/core'
import type { MeshRequest } from '@meshlet/core'
import type { RouteRequest } from '@meshlet/rules'

/**
 * A MeshRequest seen through the rules package's RouteRequest: path and query split once, headers
 * read in place (no copy).
 */
export class MeshRouteRequest implements RouteRequest {
  readonly method: string
  readonly scheme: string
  readonly authority: string
  readonly path: string
  readonly query: string
  readonly pathWithQuery: string
  readonly port: number
  private readonly headers: Readonly<Record<string, string>>

  constructor(request: MeshRequest) {
    this.method = request.method
    this.scheme = request.scheme
    this.authority = request.authority
    const question = request.path.indexOf('?')
    this.path = question === -1 ? request.path : request.path.slice(0, question)
    this.query = question === -1 ? '' : request.path.slice(question + 1)
    this.pathWithQuery = request.path
    this.port = requestPort(request)
    this.headers = request.headers
  }

  header(name: string): string | undefined {
    return this.headers[name]
  }
}
