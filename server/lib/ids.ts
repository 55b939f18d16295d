import { v7 as uuidv7 } from 'uuid';

/** App-generated, time-ordered UUIDv7 keys (house style). */
export function newId(): string {
  return uuidv7();
}
