import type { CallContext } from '@meshlet/core'

/** What telemetry needs to know about a call's route, which only the data plane's compiled types carry. */
export interface RouteDescription {
  /** `namespace/name` of the VirtualService that matched, if any. */
  readonly virtualService: string | undefined
  /** The matched route's name, if it has one. */
  readonly route: string | undefined
}

/** Reads a call's route description (the composition root passes one for its compiled types). */
export type DescribeRoute = (call: CallContext) => RouteDescription

export const NO_ROUTE_DESCRIPTION: RouteDescription = Object.freeze({ virtualService: undefined, route: undefined })
