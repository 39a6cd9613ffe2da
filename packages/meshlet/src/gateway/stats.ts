/**
 * Counters of the gateway's inbound side, named after Envoy's HTTP connection manager statistics
 * (envoy docs configuration/http/http_conn_man/stats): requests received and answered by status
 * class, requests the client abandoned (DC), and the local answers for bad input.
 */
export class GatewayStats {
  downstream_rq_total = 0
  downstream_rq_active = 0
  downstream_rq_1xx = 0
  downstream_rq_2xx = 0
  downstream_rq_3xx = 0
  downstream_rq_4xx = 0
  downstream_rq_5xx = 0
  /** Requests whose client disconnected before the response was complete (flag DC). */
  downstream_cx_destroy_remote_active_rq = 0
  /** 431: too many or too large request headers. */
  downstream_rq_too_large_headers = 0
  /** 413: request body over the limit. */
  downstream_rq_too_large = 0
  /** 404 for a host no route serves (flag NR). */
  no_route = 0
  /** 408: stream idle or request header timeout. */
  downstream_rq_timeout = 0

  countStatus(status: number): void {
    if (status >= 500) this.downstream_rq_5xx++
    else if (status >= 400) this.downstream_rq_4xx++
    else if (status >= 300) this.downstream_rq_3xx++
    else if (status >= 200) this.downstream_rq_2xx++
    else this.downstream_rq_1xx++
  }

  toJSON(): Record<string, number> {
    return { ...this } as unknown as Record<string, number>
  }
}
