import { describe, expect, it } from 'vitest';
import type { AcdOffer } from '../../../../core/contracts/acd';
import { presentOfferCard } from './present-offer';

const offer: AcdOffer = {
  contact: {
    id: '01935f3e-0000-7000-8000-0000000000c1',
    kind: 'call',
    queueId: '01935f3e-0000-7000-8000-0000000000a1',
    queueName: '일반 상담',
    queueCode: 'GENERAL',
    status: 'reserved',
    callerNumber: '010-****-1234',
    dialledNumber: '120',
    ivrChoice: null,
    priority: 0,
    enteredAt: '2026-11-27T01:00:00.000Z',
    agentId: null,
  },
  offeredAt: '2026-11-27T01:00:05.000Z',
  expiresAt: '2026-11-27T01:00:25.000Z',
  callerCard: {
    citizenId: '01935f3e-0000-7000-8000-0000000000f1',
    phone: '010-7777-1234',
    name: '김영희',
    isKnown: true,
    totalCases: 4,
    lastContactAt: null,
    openHandOffs: [],
    recentCases: [],
  },
  callbackNumber: null,
};

describe('presentOfferCard', () => {
  it('masks the name and number for an agent, as the caller card does', () => {
    const shown = presentOfferCard('agent', offer).callerCard;
    expect(shown?.name).toBe('김*희');
    expect(shown?.phone).not.toContain('7777');
    expect(shown?.totalCases).toBe(4);
  });
  it('leaves an offer without a card alone', () => {
    const bare = { ...offer, callerCard: null };
    expect(presentOfferCard('agent', bare)).toBe(bare);
  });
});
