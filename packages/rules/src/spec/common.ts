/** Shapes shared by the Istio networking protos (`api:networking/v1alpha3/*.proto`). */
export interface StringMatch {
  exact?: string
  prefix?: string
  regex?: string
}
export interface Percent {
  value?: number
}
export interface PortSelector {
  number?: number
}
/** A Go duration string, e.g. "1.5s"; compile turns it into milliseconds. */
export type DurationString = string
