import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';

export type PemPair = { cert: string; key: string };

/**
 * A real HTTPS server that requires a client certificate signed by its own CA (mutual TLS), for the connectors'
 * tests. Certificates are made with the openssl CLI (Node cannot issue X.509): a CA, the server's (127.0.0.1), a
 * client's signed by the CA (CN onecall-hanbit) and a stranger's (self-signed, CN stranger). `handle` answers each
 * request that got through the handshake with the client's CN; `requests` counts them.
 */
export async function startMtlsServer(handle: (req: { url: string; method: string; body: string; clientCn: string }) => { status: number; body: unknown }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-mtls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const pem = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Hanbit Test CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/O=Hanbit City/CN=onecall-hanbit');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.pem', '-days', '2', '-subj', '/CN=stranger');
  const ca = pem('ca.pem');
  const state = { requests: 0 };
  const server = https.createServer({ key: pem('server.key'), cert: pem('server.pem'), ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      const clientCn = String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      const answer = handle({ url: req.url ?? '/', method: req.method ?? 'GET', body: Buffer.concat(chunks).toString('utf8'), clientCn });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca,
    client: { cert: pem('client.pem'), key: pem('client.key') } as PemPair,
    stranger: { cert: pem('stranger.pem'), key: pem('stranger.key') } as PemPair,
    state,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
