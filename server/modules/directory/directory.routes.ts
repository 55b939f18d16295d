import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import {
  DirectoryExportQuerySchema,
  DirectoryImportBodySchema,
  DirectoryImportResultSchema,
  DirectorySchema,
  DutyBodySchema,
  DutySchema,
  OfficialPresenceSchema,
  PresenceListQuerySchema,
  PresenceListSchema,
  ProposalQuerySchema,
  SetPresenceBodySchema,
  TransferProposalSchema,
  TransferTargetListSchema,
} from '../../../core/contracts/directory';
import { currentUser } from '../../http/access';
import type { DirectoryService } from './directory.service';

const ADMIN = ['admin'] as const;
const READ_DIRECTORY = ['admin', 'supervisor'] as const;
const OFFICIAL = ['official'] as const;
/** Who sees officials' presence: the desk, the supervisors, the admin. */
const SEE_PRESENCE = ['agent', 'supervisor', 'admin'] as const;
const DESK = ['agent', 'supervisor'] as const;
const params = z.object({ id: IdSchema });
const tags = ['directory'];

/** 업무분장 (admin), officials' presence (the official's own; the desk reads) and the 담당자 연결 proposal (issue #11). */
export function directoryRoutes(directory: DirectoryService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/directory',
      { config: { access: READ_DIRECTORY }, schema: { tags, summary: '업무분장: every duty with its categories and officials in order', response: { 200: DirectorySchema } } },
      async () => directory.list(),
    );
    app.post(
      '/api/directory/duties',
      { config: { access: ADMIN }, schema: { tags, summary: 'Add a duty', body: DutyBodySchema, response: { 201: DutySchema } } },
      async (request, reply) => reply.status(201).send(await directory.create(request.body)),
    );
    app.put(
      '/api/directory/duties/:id',
      { config: { access: ADMIN }, schema: { tags, summary: 'Rewrite a duty (categories, department, officials in order)', params, body: DutyBodySchema, response: { 200: DutySchema } } },
      async (request) => directory.update(request.params.id, request.body),
    );
    app.delete(
      '/api/directory/duties/:id',
      { config: { access: ADMIN }, schema: { tags, summary: 'Remove a duty', params, response: { 204: z.null() } } },
      async (request, reply) => {
        await directory.remove(request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/directory/import',
      {
        config: { access: ADMIN },
        // A directory of a large city as XLSX in base64 stays well under 4 MB.
        bodyLimit: 4 * 1024 * 1024 + 4096,
        schema: {
          tags,
          summary: 'Replace the directory with a CSV or XLSX file (refused whole, every problem by line: 422 IMPORT_INVALID)',
          body: DirectoryImportBodySchema,
          response: { 200: DirectoryImportResultSchema },
        },
      },
      async (request) => directory.importFile(request.body),
    );
    app.get(
      '/api/directory/export',
      {
        config: { access: READ_DIRECTORY },
        schema: { tags, summary: 'The directory as CSV or XLSX (the import format)', querystring: DirectoryExportQuerySchema, response: { 200: z.any().describe('text/csv or XLSX file') } },
      },
      async (request, reply) => {
        const file = await directory.exportFile(request.query.format);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .serializer((payload: unknown) => payload as string)
          .send(file.body);
      },
    );
    app.get(
      '/api/directory/presence',
      { config: { access: SEE_PRESENCE }, schema: { tags, summary: "Officials' presence now", querystring: PresenceListQuerySchema, response: { 200: PresenceListSchema } } },
      async (request) => ({ items: await directory.presenceList({ departmentId: request.query.departmentId }) }),
    );
    app.get(
      '/api/directory/presence/me',
      { config: { access: OFFICIAL }, schema: { tags, summary: "The official's own presence", response: { 200: OfficialPresenceSchema } } },
      async (request) => directory.myPresence(currentUser(request)),
    );
    app.put(
      '/api/directory/presence/me',
      { config: { access: OFFICIAL }, schema: { tags, summary: '근무 중 / 통화 중 / 회의 중 / 자리 비움 / 퇴근 / 휴가 (until a date)', body: SetPresenceBodySchema, response: { 200: OfficialPresenceSchema } } },
      async (request) => directory.setMyPresence(currentUser(request), request.body),
    );
    app.get(
      '/api/directory/transfer-targets',
      {
        config: { access: DESK },
        schema: { tags, summary: "호 전환: where a blind transfer may go (officials' extensions with presence, departments' numbers)", response: { 200: TransferTargetListSchema } },
      },
      async () => ({ items: await directory.transferTargets() }),
    );
    app.get(
      '/api/directory/proposal',
      { config: { access: DESK }, schema: { tags, summary: '담당자 연결: whom to propose for a category, by presence', querystring: ProposalQuerySchema, response: { 200: TransferProposalSchema } } },
      async (request) => directory.propose(request.query.categoryId),
    );
  };
}
