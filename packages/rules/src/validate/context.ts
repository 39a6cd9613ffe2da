import type { RawResource } from '../source/resource.js'
import type { Field } from './field.js'

/** What a kind's validator receives: the object root (`spec` is `root.at('spec')`) and its resource. */
export interface ValidationInput {
  readonly root: Field
  readonly resource: RawResource
}
