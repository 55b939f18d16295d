import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_HEADER } from '../../../core/contracts/auth';

type Client = typeof import('./client');

/**
 * Idle sign-out (#18 item 7): the tab's "server last saw activity" (activityTimes().lastActivitySentAt, read by the
 * idle watch) is when the request was sent, since the server counts it on arrival, not when its answer came back. The
 * clock is vitest's fake Date (set, never slept on); fetch is a stub whose answers the test releases one by one.
 */
describe('api(): when the server last saw activity from this tab', () => {
  const T0 = Date.parse('2026-12-07T01:00:00.000Z');
  let client: Client;
  let answers: Array<() => void>;

  beforeEach(async () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    // A fresh module: its activity times start at the fake clock's T0.
    vi.resetModules();
    client = await import('./client');
    answers = [];
    const ok = () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => answers.push(() => resolve(ok())))));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  /** Sends a request at `at` (the user typed just before); its answer comes when the test calls `answers[i]()`. */
  const send = (at: number) => {
    vi.setSystemTime(at);
    client.noteUserInput();
    return client.api('/api/cases');
  };

  it('a slow answer: the time the request was sent, not the time its answer came back', async () => {
    const sentAt = T0 + 10_000;
    const request = send(sentAt);
    vi.setSystemTime(sentAt + 26 * 60_000); // the answer takes long (or the page clock jumps) meanwhile
    answers[0]!();
    await request;
    expect(client.activityTimes().lastActivitySentAt).toBe(sentAt);
  });

  it('two requests answered out of order: the later sending counts, the earlier one answering last does not move it back', async () => {
    const slow = send(T0 + 10_000);
    const fast = send(T0 + 20_000);
    vi.setSystemTime(T0 + 30_000);
    answers[1]!();
    await fast;
    expect(client.activityTimes().lastActivitySentAt).toBe(T0 + 20_000);
    vi.setSystemTime(T0 + 90_000);
    answers[0]!();
    await slow;
    expect(client.activityTimes().lastActivitySentAt).toBe(T0 + 20_000);
  });

  it('a background request (no input for over a minute) is not activity', async () => {
    vi.setSystemTime(T0 + 61_000);
    const request = client.api('/api/cases');
    answers[0]!();
    await request;
    expect(vi.mocked(fetch).mock.calls[0]![1]!.headers).toMatchObject({ [BACKGROUND_HEADER]: '1' });
    expect(client.activityTimes().lastActivitySentAt).toBe(T0);
  });
});
