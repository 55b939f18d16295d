import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { LookupAdmin, LookupResult } from '../../../core/contracts/connectors';
import { buildUser } from '../../test/factories';
import { startMtlsServer } from '../../test/mtls';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * Client certificates (mutual TLS) for department look-ups (issue #16 §2), against a real HTTPS server that requires
 * a client certificate signed by its CA (made with openssl): refused without it or with a stranger's, works with the
 * stored one; the certificate and key are sealed, write-only, and the admin sees only the subject and expiry.
 */
let t: TestContext;
let mtls: Awaited<ReturnType<typeof startMtlsServer>>;
let admin: string;
let agent: string;
let callId: string;

const inject = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const codeOf = (res: { json: () => unknown }) => (res.json() as { error: { code: string; details?: Record<string, unknown> } }).error;
const definition = (name: string, over: object = {}) => ({
  name,
  identifierLabel: '복지 신청번호',
  identifierPattern: 'W-\\d{6}',
  identifierExample: 'W-000123',
  urlTemplate: `${mtls.url}/welfare/{identifier}`,
  resultPath: 'application',
  notFoundPath: 'notFound',
  fields: [
    { label: '진행 단계', path: 'stage', format: 'text' },
    { label: '확인한 기관', path: 'seenBy', format: 'text' },
  ],
  roles: ['agent'],
  ...over,
});
const run = (id: string) => inject(agent, 'POST', `/api/connectors/lookups/${id}/run`, { interactionId: callId, identifier: 'W-000123', consent: true });
const save = async (body: object, id?: string) => {
  const res = await inject(admin, id ? 'PUT' : 'POST', id ? `/api/admin/connectors/lookups/${id}` : '/api/admin/connectors/lookups', body);
  return res;
};

beforeAll(async () => {
  mtls = await startMtlsServer(({ url, clientCn }) =>
    url === '/welfare/W-000123' ? { status: 200, body: { application: { stage: '서류 심사 중', seenBy: clientCn } } } : { status: 200, body: { notFound: true } },
  );
  t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440' });
  await buildUser(t.deps.db, { role: 'admin', login: 'mtls-admin' });
  await buildUser(t.deps.db, { role: 'agent', login: 'mtls-agent' });
  admin = await t.signIn('mtls-admin');
  agent = await t.signIn('mtls-agent');
  const call: CallConnected = (await inject(agent, 'POST', '/api/calls/simulate', { callerNumber: '010-7800-0001' })).json();
  callId = call.interaction.id;
}, 60_000);
afterAll(async () => {
  await t?.close();
  await mtls?.close();
});

describe('department look-ups with a client certificate (mutual TLS)', () => {
  it('works with the stored certificate; the admin sees 설정됨 with its subject and expiry, never the key', async () => {
    const created = await save(definition('복지 신청 진행', { clientCert: { ...mtls.client, ca: mtls.ca } }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toContain('PRIVATE KEY');
    expect(created.body).not.toContain('BEGIN CERTIFICATE');
    const saved = created.json<LookupAdmin>();
    expect(saved.hasClientCert).toBe(true);
    expect(saved.clientCert!.subject).toContain('CN=onecall-hanbit');
    expect(Date.parse(saved.clientCert!.validTo!)).toBeGreaterThan(Date.now());
    const row = await t.deps.db.selectFrom('connector_lookups').selectAll().where('id', '=', saved.id).executeTakeFirstOrThrow();
    expect(row.client_cert_sealed).not.toContain('PRIVATE KEY');
    expect(row.definition).not.toContain('PRIVATE KEY');
    expect(JSON.parse(t.deps.vault.open(row.client_cert_sealed!))).toMatchObject({ key: mtls.client.key });

    const res = await run(saved.id);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<LookupResult>();
    expect(result.found).toBe(true);
    expect(result.rows[0]).toEqual([
      { label: '진행 단계', value: '서류 심사 중' },
      { label: '확인한 기관', value: 'onecall-hanbit' },
    ]);

    // Saved again without a certificate in the body (null): the stored one is kept and still works.
    const kept = await save({ ...definition('복지 신청 진행'), clientCert: null }, saved.id);
    expect(kept.json<LookupAdmin>().hasClientCert).toBe(true);
    expect((await run(saved.id)).statusCode).toBe(200);
    const listed = await inject(admin, 'GET', '/api/admin/connectors/lookups');
    expect(listed.body).not.toContain('PRIVATE KEY');
  });

  it('is refused by the server without a certificate or with one its CA did not sign: the agent is told it cannot connect', async () => {
    const before = mtls.state.requests;
    const none = (await save(definition('복지 신청 진행 (인증서 없음)', { clientCert: { ...mtls.stranger, ca: mtls.ca } }))).json<LookupAdmin>();
    // Removing it ('') leaves the look-up without a certificate.
    const removed = await save({ ...definition('복지 신청 진행 (인증서 없음)'), clientCert: '' }, none.id);
    expect(removed.json<LookupAdmin>()).toMatchObject({ hasClientCert: false, clientCert: null });
    const refused = await run(none.id);
    expect(refused.statusCode).toBe(503);
    expect(codeOf(refused)).toMatchObject({ code: 'LOOKUP_UNAVAILABLE', details: { reason: 'unreachable' } });

    const stranger = (await save(definition('복지 신청 진행 (낯선 인증서)', { clientCert: { ...mtls.stranger, ca: mtls.ca } }))).json<LookupAdmin>();
    expect(stranger.clientCert!.subject).toContain('CN=stranger');
    const refusedStranger = await run(stranger.id);
    expect(refusedStranger.statusCode).toBe(503);
    expect(codeOf(refusedStranger)).toMatchObject({ code: 'LOOKUP_UNAVAILABLE', details: { reason: 'unreachable' } });
    // Neither request got past the handshake.
    expect(mtls.state.requests).toBe(before);
  });

  it('refuses on save a certificate Node cannot use, a key that is not its own, or one with an http:// address', async () => {
    const notPem = await save(definition('잘못된 인증서', { clientCert: { cert: 'not a certificate', key: 'not a key' } }));
    expect(notPem.statusCode).toBe(400);
    expect(codeOf(notPem)).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'clientCert' } });
    const mismatch = await save(definition('맞지 않는 키', { clientCert: { cert: mtls.client.cert, key: mtls.stranger.key } }));
    expect(codeOf(mismatch)).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'clientCert' } });
    const plain = await save(definition('http 주소', { urlTemplate: 'http://127.0.0.1:9/welfare/{identifier}', clientCert: mtls.client }));
    expect(plain.statusCode).toBe(400);
    expect(codeOf(plain).details).toMatchObject({ field: 'clientCert' });
    const names = (await inject(admin, 'GET', '/api/admin/connectors/lookups')).json<LookupAdmin[]>().map((l) => l.name);
    expect(names).not.toContain('잘못된 인증서');
    expect(names).not.toContain('맞지 않는 키');
    expect(names).not.toContain('http 주소');
  });
});
