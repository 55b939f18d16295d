import type { Browser } from 'playwright-core';
import { newContext, signInThroughApi } from './browser';

/**
 * The demo centre is open on weekdays 08:30–18:30 KST; journeys run at any hour. The admin opens it every day,
 * 00:00–23:59, through the same admin API the ACD settings screen uses (PUT /api/acd/business-hours).
 */
export async function openCentreAllDay(browser: Browser): Promise<void> {
  const context = await newContext(browser);
  try {
    await signInThroughApi(context, 'admin');
    const days = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:59' }));
    const res = await context.request.put('/api/acd/business-hours', { data: { days }, headers: { 'x-onecall-request': '1' } });
    if (!res.ok()) throw new Error(`opening the centre failed: ${res.status()} ${await res.text()}`);
  } finally {
    await context.close();
  }
}
