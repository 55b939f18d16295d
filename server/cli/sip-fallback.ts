/**
 * The SIP fallback announcement service (server/ports/telephony/sip/fallback.ts): its own small process, started by
 * `scripts/telephony.sh start` next to Kamailio and rtpengine, so that a caller hears something — and can ask to be
 * called back — when OneCall does not answer Kamailio. Loopback HTTP, Kamailio only (shared secret header).
 *
 *   GET /fallback?callid&fromtag&caller&callee&sdp(base64)   → 200 application/sdp (the 183's body), or 4xx/503
 *   GET /health                                             → 200 ok
 *
 * Settings (environment): SIP_SHARED_SECRET, SIP_FALLBACK_PORT (5068), SIP_KAMAILIO_HTTP_URL (http://127.0.0.1:5066),
 * SIP_RTPENGINE_NG (127.0.0.1:22222), SIP_PROMPTS_DIR, SIP_FALLBACK_SPOOL_DIR (where accepted callbacks wait for
 * OneCall: the same folder as OneCall's SIP_FALLBACK_SPOOL_DIR).
 */
import http from 'node:http';
import { loadSipFallbackConfig } from '../config';
import { FallbackRequestSchema, SipFallback } from '../ports/telephony/sip/fallback';
import { KamailioClient } from '../ports/telephony/sip/kamailio-client';
import { RtpengineNg } from '../ports/telephony/sip/rtpengine-ng';

const config = loadSipFallbackConfig();
const log = {
  info: (obj: object, msg?: string) => console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), msg, ...obj })),
  warn: (obj: object, msg?: string) => console.error(JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg, ...obj, err: 'err' in obj ? String((obj as { err: unknown }).err) : undefined })),
};
const rtpengine = new RtpengineNg(config.rtpengineNg.host, config.rtpengineNg.port);
const kamailio = new KamailioClient(config.kamailioHttpUrl, config.sharedSecret);
const fallback = new SipFallback({
  rtpengine,
  kamailio,
  promptsDir: config.promptsDir,
  spoolDir: config.spoolDir,
  now: () => new Date(),
  after: (ms, task) => void setTimeout(task, ms),
  log,
});

const server = http.createServer((req, res) => {
  const reply = (status: number, body: string, type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const loopback = req.socket.remoteAddress === '127.0.0.1' || req.socket.remoteAddress === '::ffff:127.0.0.1';
  if (url.pathname === '/health') return reply(200, 'ok');
  if (!loopback || req.headers['x-onecall-sip-secret'] !== config.sharedSecret) return reply(403, 'forbidden');
  if (req.method !== 'GET' || url.pathname !== '/fallback') return reply(404, 'not found');
  const q = FallbackRequestSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!q.success) return reply(400, 'invalid request');
  fallback.start(q.data).then(
    (sdp) => reply(200, sdp, 'application/sdp'),
    (err: unknown) => {
      log.warn({ err, callId: q.data.callid }, 'sip fallback: early media not set up');
      reply(503, 'unavailable');
    },
  );
});
server.listen(config.port, '127.0.0.1', () => log.info({ port: config.port }, 'sip fallback: listening'));
const stop = () => {
  server.close();
  rtpengine.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
