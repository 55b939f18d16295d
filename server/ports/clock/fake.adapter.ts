import type { Clock } from './clock.port';

/** A clock that only moves when told to: for tests, demos and the simulator's virtual time. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-11-27T01:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by ms milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
