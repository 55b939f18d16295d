import type { Bencoded } from './rtpengine-ng';

/**
 * The SDP answer of the side that "answers" a waiting caller's early media in rtpengine (sip.adapter.ts): there is no
 * phone there, only rtpengine playing the announcement and music to the caller. It takes the offer's first audio codec
 * (and telephone-event, for keys pressed while waiting), says `sendonly` (the caller only listens: rtpengine tells the
 * caller `recvonly`), and points at the discard port of loopback, so anything the caller sends anyway goes nowhere.
 */
export function earlyMediaSinkSdp(offer: string): string {
  const lines = offer.split(/\r?\n/);
  const m = lines.find((l) => l.startsWith('m=audio '));
  if (!m) throw new Error('early media: the offer has no audio');
  const formats = m.trim().split(/\s+/).slice(3);
  const rtpmap = new Map<string, string>();
  const fmtp = new Map<string, string>();
  for (const l of lines) {
    const r = /^a=rtpmap:(\d+) (.+)$/.exec(l.trim());
    if (r) rtpmap.set(r[1]!, r[2]!);
    const f = /^a=fmtp:(\d+) (.+)$/.exec(l.trim());
    if (f) fmtp.set(f[1]!, f[2]!);
  }
  // Static payload types 0 (PCMU) and 8 (PCMA) need no rtpmap; a dynamic one does.
  const staticNames: Record<string, string> = { '0': 'PCMU/8000', '8': 'PCMA/8000', '9': 'G722/8000', '18': 'G729/8000' };
  const nameOf = (pt: string) => rtpmap.get(pt) ?? staticNames[pt];
  const audio = formats.find((pt) => nameOf(pt) && !/^telephone-event\//i.test(nameOf(pt)!));
  if (!audio) throw new Error('early media: no audio codec in the offer');
  const dtmf = formats.find((pt) => /^telephone-event\/8000$/i.test(nameOf(pt) ?? ''));
  const chosen = dtmf ? [audio, dtmf] : [audio];
  const out = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 9 RTP/AVP ${chosen.join(' ')}`];
  for (const pt of chosen) {
    out.push(`a=rtpmap:${pt} ${nameOf(pt)!}`);
    if (fmtp.has(pt)) out.push(`a=fmtp:${pt} ${fmtp.get(pt)!}`);
  }
  out.push('a=sendonly');
  return `${out.join('\r\n')}\r\n`;
}

type Ng = { request(command: string, args: Record<string, Bencoded>): Promise<Record<string, Bencoded>> };

/**
 * Sets a caller's early media up in rtpengine: the caller's offer, then the answer of a side that only plays
 * ({@link earlyMediaSinkSdp}, To tag `toTag`). Returns the SDP to send the caller in a 183; rtpengine then plays to the
 * caller's From tag (`play media`).
 */
export async function openEarlyMedia(rtpengine: Ng, callId: string, fromTag: string, callerSdp: string, toTag: string): Promise<string> {
  const base = { 'call-id': callId, 'from-tag': fromTag };
  const offer = await rtpengine.request('offer', { ...base, sdp: callerSdp, replace: ['origin', 'session-connection'], ICE: 'remove', 'transport-protocol': 'RTP/AVP' });
  if (offer['result'] !== 'ok' || typeof offer['sdp'] !== 'string') throw new Error(`rtpengine offer: ${String(offer['error-reason'] ?? offer['result'])}`);
  const answer = await rtpengine.request('answer', { ...base, 'to-tag': toTag, sdp: earlyMediaSinkSdp(offer['sdp']), replace: ['origin', 'session-connection'], ICE: 'remove' });
  if (answer['result'] !== 'ok' || typeof answer['sdp'] !== 'string') throw new Error(`rtpengine answer: ${String(answer['error-reason'] ?? answer['result'])}`);
  return answer['sdp'];
}

/** rtpengine plays `file` to the caller (the party of `fromTag`), `repeat` times in all (1 by default); throws when refused. */
export async function playToCaller(rtpengine: Ng, callId: string, fromTag: string, file: string, repeat = 1): Promise<void> {
  const args: Record<string, Bencoded> = { 'call-id': callId, 'from-tag': fromTag, file };
  if (repeat > 1) args['repeat-times'] = repeat;
  const answer = await rtpengine.request('play media', args);
  if (answer['result'] !== 'ok') throw new Error(`rtpengine play media: ${String(answer['error-reason'] ?? answer['result'])}`);
}
