import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../core/contracts/common';
import type { AppDeps } from '../../deps';
import { viewerOf } from '../privacy/access-context';
import { listRecordings, openRecording } from './recordings.service';

export const RecordingSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  status: z.enum(['recording', 'sealed', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  retainUntil: z.string(),
});

const ROLES = ['supervisor', 'admin'] as const;

/** Call recordings (issue #17 §3): the list of a contact's recordings, and playback with a reason (an access record). */
export function recordingRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/recordings',
      {
        config: { access: ROLES },
        schema: {
          tags: ['recordings'],
          summary: "A contact's call recordings (no content: when, status, size, kept until)",
          querystring: z.object({ contactId: z.string().min(1).max(64) }),
          response: { 200: z.object({ items: z.array(RecordingSchema) }), 401: ErrorBodySchema, 403: ErrorBodySchema },
        },
      },
      async (request) => {
        const rows = await listRecordings(deps, request.query.contactId);
        return {
          items: rows.map((r) => ({ id: r.id, contactId: r.interaction_id, status: r.status, startedAt: r.started_at, endedAt: r.ended_at, sizeBytes: r.size_bytes, retainUntil: r.retain_until })),
        };
      },
    );

    app.get(
      '/api/recordings/:id/file',
      {
        config: { access: ROLES },
        schema: {
          tags: ['recordings'],
          summary: '녹취 청취/다운로드: the decrypted recording (pcap, G.711 RTP both ways) with a required reason; one access record each',
          params: z.object({ id: z.string().min(1).max(64) }),
          querystring: z.object({ reason: z.string().max(500).optional() }),
          response: { 200: z.any().describe('application/vnd.tcpdump.pcap'), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
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
  };
}
