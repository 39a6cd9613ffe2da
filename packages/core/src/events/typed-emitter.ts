import { EventEmitter } from 'eventemitter3'

/**
 * Typed events on eventemitter3: `emitter.on('configRejected', (error) => ...)` is checked against
 * the event map. Emitting with no listener is a property lookup and nothing more, and producers
 * check `listenerCount` before building costly payloads.
 */
export class TypedEmitter<Events extends Record<string, (...args: never[]) => void>> extends EventEmitter<
  Events & Record<string, (...args: never[]) => void>
> {}
