import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../core/contracts/common';
import { kstDayOf, kstDayStart } from '../../../core/domain/statistics';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { RecordingDecoder } from './recording-decoder';
import { audioOf, openRecording, searchRecordingList } from './recordings.service';

export const RecordingSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  status: z.enum(['recording', 'sealed', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  retainUntil: z.string(),
  /** From start to end of the recording, whole seconds; null while recording. */
  durationSec: z.number().int().nullable(),
  agentName: z.string().nullable(),
  /** The caller's number masked (010-****-5678); null once erased by retention. */
  callerMasked: z.string().nullable(),
  queueName: z.string().nullable(),
});

const ROLES = ['supervisor', 'admin'] as const;
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** A search covers at most this many KST days (the list is not an export). */
const MAX_DAYS = 92;
const LIST_LIMIT = 500;
const DAY_MS = 86_400_000;

/**
 * Call recordings (issue #17 §3): the list (of a contact, or of KST days for the 통화 녹음 page), and playback with a
 * reason (one access record each) as the pcap rtpengine wrote or as a WAV a browser plays, decoded on a worker thread
 * (`decoder`: by default one worker and 4 waiting, started at the first playback, stopped with the app).
 */
export function recordingRoutes(deps: AppDeps, decoder: RecordingDecoder = new RecordingDecoder()): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onClose', async () => decoder.close());
    const renderAudio = audioOf(decoder);
    app.get(
      '/api/recordings',
      {
        config: { access: ROLES },
        schema: {
          tags: ['recordings'],
          summary: "Call recordings, no content (when, agent, caller masked, length, queue): a contact's, or those started on KST days from..to (default today), newest first, at most 500",
          querystring: z.object({ contactId: z.string().min(1).max(64).optional(), from: DAY.optional(), to: DAY.optional() }),
          response: { 200: z.object({ items: z.array(RecordingSchema), truncated: z.boolean() }), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
        },
      },
      async (request) => {
        const { contactId } = request.query;
        if (contactId) {
          const items = await searchRecordingList(deps, { interactionId: contactId, limit: LIST_LIMIT + 1 });
          return { items: items.slice(0, LIST_LIMIT).reverse(), truncated: items.length > LIST_LIMIT };
        }
        const today = kstDayOf(deps.clock.now().getTime());
        const from = request.query.from ?? request.query.to ?? today;
        const to = request.query.to ?? (request.query.from ? from : today);
        const start = kstDayStart(from);
        const end = kstDayStart(to) + DAY_MS;
        if (Number.isNaN(start) || Number.isNaN(end) || kstDayOf(start) !== from || kstDayOf(end - DAY_MS) !== to) throw new AppError('VALIDATION_FAILED', '날짜가 올바르지 않습니다.', { field: 'from' });
        if (end <= start) throw new AppError('VALIDATION_FAILED', '시작일이 종료일보다 늦습니다.', { field: 'to' });
        if (end - start > MAX_DAYS * DAY_MS) throw new AppError('VALIDATION_FAILED', `한 번에 ${MAX_DAYS}일까지 조회할 수 있습니다.`, { field: 'to' });
        const items = await searchRecordingList(deps, { from: new Date(start).toISOString(), to: new Date(end).toISOString(), limit: LIST_LIMIT + 1 });
        return { items: items.slice(0, LIST_LIMIT), truncated: items.length > LIST_LIMIT };
      },
    );

    app.get(
      '/api/recordings/:id/file',
      {
        config: { access: ROLES },
        schema: {
          tags: ['recordings'],
          summary: '녹취 다운로드: the decrypted recording (pcap, G.711 RTP both ways) with a required reason; one access record each',
          params: z.object({ id: z.string().min(1).max(64) }),
          querystring: z.object({ reason: z.string().max(500).optional() }),
          response: { 200: z.any().describe('application/vnd.tcpdump.pcap'), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 422: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        const { row, bytes } = await openRecording(deps, viewerOf(request), request.params.id, request.query.reason);
        return reply
          .header('content-type', 'application/vnd.tcpdump.pcap')
          .header('content-disposition', `attachment; filename="recording-${row.id}.pcap"`)
          .header('cache-control', 'no-store')
          .send(bytes);
      },
    );

    app.get(
      '/api/recordings/:id/audio',
      {
        config: { access: ROLES },
        schema: {
          tags: ['recordings'],
          summary:
            '녹취 청취: the recording as audio/wav (mono 8 kHz 16-bit PCM, caller and agent mixed) with a required reason; one access record each; 422 RECORDING_UNPLAYABLE for a damaged file or one without G.711 audio; 503 RECORDING_DECODER_BUSY when the queue of playbacks waiting for the decoder is full',
          params: z.object({ id: z.string().min(1).max(64) }),
          querystring: z.object({ reason: z.string().max(500).optional() }),
          response: { 200: z.any().describe('audio/wav'), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 422: ErrorBodySchema, 503: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        const { row, bytes } = await openRecording(deps, viewerOf(request), request.params.id, request.query.reason, renderAudio);
        return reply
          .header('content-type', 'audio/wav')
          .header('content-disposition', `inline; filename="recording-${row.id}.wav"`)
          .header('cache-control', 'no-store')
          .send(bytes);
      },
    );
  };
}
