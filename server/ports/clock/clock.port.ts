/**
 * Time is a port: deadlines, timers and the simulator read it, and tests drive a fake one. No domain decision
 * reads the time any other way (only id generation uses the wall clock, for ordering).
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}
