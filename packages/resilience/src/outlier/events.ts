/** Why an endpoint was ejected (Envoy's OutlierEjectionType). */
export type EjectionReason =
  | 'consecutive-5xx'
  | 'consecutive-gateway-errors'
  | 'consecutive-local-origin-failures'
  | 'success-rate'
  | 'failure-percentage'

export interface EndpointEjectedEvent {
  readonly cluster: string
  readonly endpoint: string
  readonly reason: EjectionReason
  /** How long it stays out: base ejection time × consecutive ejections, capped at 300 s. */
  readonly ejectionTimeMs: number
  /** Times this endpoint has been ejected. */
  readonly ejections: number
  /** Endpoints of the cluster ejected now, this one included. */
  readonly ejectedEndpoints: number
}

export interface EndpointReturnedEvent {
  readonly cluster: string
  readonly endpoint: string
  /** How long it was out. */
  readonly ejectedForMs: number
}

/** An endpoint judged an outlier but kept, because maxEjectionPercent was reached (Envoy ejections_overflow). */
export interface EjectionSkippedEvent {
  readonly cluster: string
  readonly endpoint: string
  readonly reason: EjectionReason
  readonly ejectedEndpoints: number
}

export type OutlierEvents = {
  endpointEjected: (event: EndpointEjectedEvent) => void
  endpointReturned: (event: EndpointReturnedEvent) => void
  ejectionSkipped: (event: EjectionSkippedEvent) => void
}
