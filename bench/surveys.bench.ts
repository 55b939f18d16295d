import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../core/domain/prng';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createAppDeps } from '../server/deps';
import { newId } from '../server/lib/ids';
import { ensureSurveyDefaults, hashToken, scheduleSurveys, sendDueSurveys } from '../server/modules/surveys/surveys.service';
import { findCurrentTemplate } from '../server/modules/surveys/surveys.repository';
import { FakeClock } from '../server/ports/clock/fake.adapter';
import { startFixtureServer } from './server-process';
import { percentile, type Bench } from './types';

const DAY_START = Date.parse('2026-11-27T08:30:00+09:00');
const DAY_MS = 10 * 3_600_000; // the centre's 08:30–18:30

/**
 * 만족도 조사 (issue #15 Speed): (1) scheduling the surveys of a simulated day of 43,000 settled calls (one
 * `call_dispositioned` each, 30,000 distinct callers, 40% of them consented, 1% opted out; the default 20% sample and
 * 30-day quiet period) < 10 s, then queuing the due links in the outbox; (2) the public page's API (GET the survey,
 * POST the answers) p99 < 50 ms with 200 respondents on the page at once (each reads and answers for 2–6 s between
 * the two requests, then the next respondent takes the place), each with its own link and client address, over
 * real HTTP on loopback. SQLite file database.
 */
export const run: Bench = async ({ quick }) => {
  const calls = quick ? 8_000 : 43_000;
  const respondents = quick ? 600 : 2_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-surveys-bench-'));
  const clock = new FakeClock(new Date(DAY_START));
  const handle = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  try {
    await migrateToLatest(handle.db);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TRUST_PROXY: 'true', IDLE_TIMEOUT_MINUTES: '1440' });
    const deps = createAppDeps(config, handle, clock);
    const at = clock.now().toISOString();
    await ensureSurveyDefaults(handle.db, at);

    // The day: calls spread over the opening hours, callers drawn from 30,000 numbers (some call twice).
    const rng = createRng('surveys-bench');
    const callers = Array.from({ length: Math.round(calls * 0.7) }, (_, i) => deps.vault.phoneIndex(`+8210${String(20000000 + i).padStart(8, '0')}`));
    await handle.db.transaction().execute(async (trx) => {
      const consents = callers.filter(() => rng.next() < 0.4);
      for (let i = 0; i < consents.length; i += 500) {
        await trx
          .insertInto('survey_consents')
          .values(consents.slice(i, i + 500).map((c) => ({ phone_index: c, surveys: 1, polls: 0, channel: 'sms' as const, address_sealed: deps.vault.seal('+821020000000'), district: null, age_band: null, case_id: null, recorded_by: null, recorded_at: at })))
          .execute();
      }
      const optOuts = consents.filter(() => rng.next() < 0.01);
      for (let i = 0; i < optOuts.length; i += 500) await trx.insertInto('survey_opt_outs').values(optOuts.slice(i, i + 500).map((c) => ({ phone_index: c, via: 'bench', at }))).execute();
      const rows = Array.from({ length: calls }, (_, i) => {
        const when = new Date(DAY_START + Math.floor((i / calls) * DAY_MS)).toISOString();
        return { caseId: newId(), eventId: newId(), when, caller: callers[rng.int(callers.length)]!, i };
      });
      for (let i = 0; i < rows.length; i += 300) {
        const chunk = rows.slice(i, i + 300);
        await trx
          .insertInto('cases')
          .values(chunk.map((r) => ({ id: r.caseId, number: `20261127-${String(r.i).padStart(5, '0')}`, interaction_id: null, citizen_id: null, agent_id: null, category_id: null, complaint_type: 'inquiry' as const, summary: '문의', notes: '', outcome: 'resolved' as const, status: 'closed' as const, created_at: r.when, closed_at: r.when })))
          .execute();
        await trx
          .insertInto('contact_events')
          .values(chunk.map((r) => ({ id: r.eventId, at: r.when, type: 'call_dispositioned' as const, interaction_id: null, case_id: r.caseId, handoff_id: null, actor_id: null, detail: 'resolved', data: JSON.stringify({ outcome: 'resolved', categoryId: null, callerKey: r.caller }) })))
          .execute();
      }
    });

    // (1) Scheduling at the end of the day, then sending what is due.
    clock.set(new Date(DAY_START + DAY_MS + 3_600_000));
    const t0 = performance.now();
    const scheduled = await scheduleSurveys(deps, clock.now());
    const scheduleSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const sent = await sendDueSurveys(deps, clock.now());
    const sendSeconds = (performance.now() - t1) / 1000;

    // (2) The public page: links of our own (only their hashes stored), one per respondent.
    const template = (await findCurrentTemplate(handle.db, 'call'))!;
    const tokens = Array.from({ length: respondents }, () => randomBytes(24).toString('base64url'));
    const expires = new Date(clock.now().getTime() + 72 * 3_600_000).toISOString();
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < tokens.length; i += 300) {
        await trx
          .insertInto('survey_invitations')
          .values(
            tokens.slice(i, i + 300).map((tk, j) => ({
              id: newId(),
              source_key: `bench:${i + j}`,
              trigger: 'call' as const,
              template_id: template.id,
              poll_id: null,
              case_id: null,
              handoff_id: null,
              agent_id: null,
              department_id: null,
              category_id: null,
              phone_index: `bench-${i + j}`,
              channel: 'sms' as const,
              status: 'sent' as const,
              skip_reason: null,
              contact_at: at,
              due_at: at,
              sent_at: at,
              expires_at: expires,
              answered_at: null,
              token_hash: hashToken(tk),
              created_at: at,
            })),
          )
          .execute();
      }
    });
    const server = await startFixtureServer<{ port: number }>('bench/fixtures/survey-server.ts', [path.join(dir, 'bench.db'), clock.now().toISOString()]);
    const base = `http://127.0.0.1:${server.info.port}`;
    const getMs: number[] = [];
    const postMs: number[] = [];
    let errors = 0;
    let next = 0;
    const answers = { kind: 5, clear: 4, resolved: true, overall: 5, comment: '친절한 안내 감사합니다.' };
    const think = createRng('surveys-think');
    const t2 = performance.now();
    const worker = async (w: number) => {
      // People arrive over the first 4 s rather than all in the same millisecond.
      await new Promise((r) => setTimeout(r, w * 20));
      while (next < tokens.length) {
        const i = next++;
        // Each respondent its own client address (TRUST_PROXY), as phones on the mobile network would be.
        const headers = { 'x-forwarded-for': `10.${w}.${(i >> 8) & 255}.${i & 255}`, 'x-onecall-request': '1' };
        let s = performance.now();
        const page = await fetch(`${base}/api/public/surveys/${tokens[i]}`, { headers });
        await page.arrayBuffer();
        getMs.push(performance.now() - s);
        if (page.status !== 200) errors++;
        // Reading and ticking the five questions: 2–6 s, as a person on a phone (200 people on the page at once).
        await new Promise((r) => setTimeout(r, 2_000 + think.int(4_000)));
        s = performance.now();
        const answer = await fetch(`${base}/api/public/surveys/${tokens[i]}/answers`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ answers }) });
        await answer.arrayBuffer();
        postMs.push(performance.now() - s);
        if (answer.status !== 204) errors++;
      }
    };
    await Promise.all(Array.from({ length: 200 }, (_, w) => worker(w)));
    const loadSeconds = (performance.now() - t2) / 1000;
    await server.stop();

    const p = (v: number[], q: number) => percentile(v, q).toFixed(1);
    const schedMet = scheduleSeconds < 10;
    const pageMet = percentile(getMs, 99) < 50 && percentile(postMs, 99) < 50 && errors === 0;
    return [
      {
        title: 'Surveys: scheduling a day of calls, public page under load',
        targetsMet: schedMet && pageMet,
        markdown: [
          `(1) ${calls.toLocaleString('en')} settled calls in one day (${callers.length.toLocaleString('en')} callers, 40% consented, 1% of those opted out), default sampling 20%, quiet period 30 days, scheduled by \`scheduleSurveys\` in batches of 1,000 events, then the due links queued in the outbox by \`sendDueSurveys\` (consent checked again, one transaction per link). Target: scheduling < 10 s.`,
          '',
          '| calls | looked at | scheduled | not sampled | no consent | opted out | quiet period | schedule s | queued links | queue s | target met |',
          '|---|---|---|---|---|---|---|---|---|---|---|',
          `| ${calls} | ${scheduled.looked} | ${scheduled.scheduled} | ${scheduled.skipped.not_sampled ?? 0} | ${scheduled.skipped.no_consent ?? 0} | ${scheduled.skipped.opted_out ?? 0} | ${scheduled.skipped.quiet_period ?? 0} | ${scheduleSeconds.toFixed(2)} | ${sent.sent} | ${sendSeconds.toFixed(2)} | ${schedMet ? 'yes' : 'NO'} |`,
          '',
          `(2) ${respondents.toLocaleString('en')} respondents, 200 on the page at once, each GET /api/public/surveys/:token, 2–6 s of reading and ticking, then POST …/answers over HTTP on loopback to the app in its own process (rate limit per client address on). Target: p99 < 50 ms.`,
          '',
          '| request | n | p50 ms | p95 ms | p99 ms | errors | wall s | target met |',
          '|---|---|---|---|---|---|---|---|',
          `| GET survey | ${getMs.length} | ${p(getMs, 50)} | ${p(getMs, 95)} | ${p(getMs, 99)} | ${errors} | ${loadSeconds.toFixed(2)} | ${percentile(getMs, 99) < 50 ? 'yes' : 'NO'} |`,
          `| POST answers | ${postMs.length} | ${p(postMs, 50)} | ${p(postMs, 95)} | ${p(postMs, 99)} | ${errors} | ${loadSeconds.toFixed(2)} | ${percentile(postMs, 99) < 50 ? 'yes' : 'NO'} |`,
        ].join('\n'),
      },
    ];
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
