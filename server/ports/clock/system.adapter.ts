import type { Clock } from './clock.port';

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };
