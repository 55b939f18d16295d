/**
 * Time is a port: deadlines, timers and the simulator read it, and tests drive a fake one. Nothing in OneCall
 * calls Date.now() outside an adapter of this port.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}
