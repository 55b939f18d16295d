import type { ContactRec } from './model';
import { unoffered } from './model';

/** A call contact as the engine holds it, for the rooms' unit tests (fields overridable). */
export function contactFixture(over: Partial<ContactRec> = {}): ContactRec {
  return {
    id: 'c1',
    kind: 'call',
    source: 'simulator',
    externalCallId: 'call-1',
    queueId: 'q1',
    skill: null,
    priority: 0,
    dialledNumber: '120',
    ivrChoice: null,
    enteredAt: 0,
    virtualStartAt: 0,
    readyAt: null,
    status: 'waiting',
    ...unoffered(),
    callbackSealed: null,
    originId: null,
    callerMasked: '010-****-0000',
    waiting: null,
    countedDay: null,
    ...over,
  };
}
