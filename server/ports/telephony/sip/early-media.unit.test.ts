import { describe, expect, it } from 'vitest';
import { earlyMediaSinkSdp } from './early-media';

const offer = (m: string, extra: string[] = []) => ['v=0', 'o=- 5 5 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', m, ...extra, 'a=sendrecv', ''].join('\r\n');

describe('the answer of the side that plays to a waiting caller (early media)', () => {
  it('takes the first audio codec of the offer, keeps telephone-event, only sends, on the discard port of loopback', () => {
    const sdp = earlyMediaSinkSdp(offer('m=audio 30000 RTP/AVP 8 0 101', ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16']));
    expect(sdp.split('\r\n')).toEqual(['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=sendonly', '']);
  });

  it('knows static payload types without an rtpmap, and skips telephone-event offered first', () => {
    expect(earlyMediaSinkSdp(offer('m=audio 30000 RTP/AVP 0'))).toContain('m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n');
    expect(earlyMediaSinkSdp(offer('m=audio 30000 RTP/AVP 101 96', ['a=rtpmap:101 telephone-event/8000', 'a=rtpmap:96 opus/48000/2']))).toContain('m=audio 9 RTP/AVP 96 101\r\n');
  });

  it('refuses an offer without audio, or with no codec it can name', () => {
    expect(() => earlyMediaSinkSdp(offer('m=video 30000 RTP/AVP 96'))).toThrow('no audio');
    expect(() => earlyMediaSinkSdp(offer('m=audio 30000 RTP/AVP 97'))).toThrow('no audio codec');
  });
});
