import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../delivery';
import { HttpCaseSystem } from './http.adapter';
import { jsonRequest, type ClientTls } from '../../lib/json-http';

/**
 * Client-certificate authentication (mutual TLS, issue #16 §5) against a real HTTPS server started here that verifies
 * client certificates against its own CA. Certificates are made with the openssl CLI (Node cannot issue X.509).
 */
let dir: string;
let server: https.Server;
let url: string;
let client: ClientTls;
let ca: string;
const pem = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-mtls-'));
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Hanbit Test CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=onecall-hanbit');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2');
  ca = pem('ca.pem');
  client = { cert: pem('client.pem'), key: pem('client.key'), ca };
  server = https.createServer({ key: pem('server.key'), cert: pem('server.pem'), ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.writeHead(req.url === '/cases' ? 201 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/cases' ? { caseNo: `HB-${peer.subject.CN}` } : { who: peer.subject.CN }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mutual TLS with the stored client certificate', () => {
  it('presents the client certificate: the server verifies it against its CA and sees who called', async () => {
    const answer = await jsonRequest({ url: `${url}/whoami`, method: 'GET', timeoutMs: 5000, tls: client });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ who: 'onecall-hanbit' });
    const cases = new HttpCaseSystem({ baseUrl: url, timeoutMs: 5000, headers: {}, tls: client });
    expect(await cases.register('k-1', { title: '누수' })).toEqual({ caseNo: 'HB-onecall-hanbit' });
  });

  it('without the certificate (or with one the server does not trust) the handshake is refused: a retryable delivery error', async () => {
    const noCert = new HttpCaseSystem({ baseUrl: url, timeoutMs: 5000, headers: {}, tls: null });
    await expect(noCert.register('k-2', {})).rejects.toThrow(DeliveryError);
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=stranger');
    const stranger = new HttpCaseSystem({ baseUrl: url, timeoutMs: 5000, headers: {}, tls: { cert: pem('other.pem'), key: pem('other.key'), ca } });
    await expect(stranger.register('k-3', {})).rejects.toThrow('연결할 수 없습니다');
  });
});
