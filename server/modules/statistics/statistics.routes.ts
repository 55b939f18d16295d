import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Role } from '../../../core/contracts/enums';
import {
  ByAgentQuerySchema,
  ByAgentReportSchema,
  ByDepartmentQuerySchema,
  ByDepartmentReportSchema,
  ByPeriodQuerySchema,
  ByPeriodReportSchema,
  ByTaskQuerySchema,
  ByTaskReportSchema,
  HeadlineQuerySchema,
  HeadlineReportSchema,
  RisingQuerySchema,
  RisingReportSchema,
  ServiceQuerySchema,
  ServiceReportSchema,
} from '../../../core/contracts/statistics';
import type { FastifyReply } from 'fastify';
import type { ZodType } from 'zod';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import {
  StatsExportFormatSchema,
  byAgentExport,
  byDepartmentExport,
  byPeriodExport,
  byTaskExport,
  headlineExport,
  serviceExport,
  statsFile,
  type StatsExport,
} from './statistics.export';
import { byAgent, byDepartment, byPeriod, byTask, headline, rising, service } from './statistics.service';

const tags = ['statistics'];
/** The centre's figures: supervisors and admins. */
const CENTRE: Role[] = ['supervisor', 'admin'];
/** Department figures: also officials (department heads), for their own department only (checked by the service). */
const DEPARTMENT: Role[] = ['official', 'supervisor', 'admin'];
/** Agent figures: also agents, for themselves only. */
const AGENT: Role[] = ['agent', 'supervisor', 'admin'];

/** The export's query: the report's own, and the file format. */
const withFormat = { format: StatsExportFormatSchema };
const exportSchema = <Q extends ZodType>(querystring: Q, what: string) => ({
  tags,
  summary: `${what} as CSV (UTF-8 with BOM) or XLSX, Korean headers`,
  querystring,
  produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
});

/** Statistics (issue #12 §1): every figure recomputed from the raw logs; definitions in docs/METRICS.md. */
export function statisticsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const send = async (reply: FastifyReply, e: StatsExport, format: 'csv' | 'xlsx') => {
    const file = await statsFile(e, format, deps.clock.now());
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', file.disposition)
      .header('cache-control', 'no-store')
      .serializer((payload: unknown) => payload as string)
      .send(file.body);
  };
  return async (app) => {
    app.get(
      '/api/stats/by-task',
      {
        config: { access: DEPARTMENT },
        schema: { tags, summary: '업무별: the category tree (drill down), 직접처리율, 이관율, AHT, change; top topics', querystring: ByTaskQuerySchema, response: { 200: ByTaskReportSchema } },
      },
      async (request) => byTask(deps, currentUser(request), request.query),
    );
    app.get(
      '/api/stats/by-period',
      {
        config: { access: CENTRE },
        schema: { tags, summary: '기간별: totals against the previous period and last year, a series, the weekday × hour heat map', querystring: ByPeriodQuerySchema, response: { 200: ByPeriodReportSchema } },
      },
      async (request) => byPeriod(deps, request.query),
    );
    app.get(
      '/api/stats/by-department',
      {
        config: { access: DEPARTMENT },
        schema: { tags, summary: '부서별: hand-offs on time, time to answer, returned, overdue; transfers', querystring: ByDepartmentQuerySchema, response: { 200: ByDepartmentReportSchema } },
      },
      async (request) => byDepartment(deps, currentUser(request), request.query),
    );
    app.get(
      '/api/stats/by-agent',
      {
        config: { access: AGENT },
        schema: { tags, summary: '상담사별: contacts, AHT, ACW, 직접처리율, occupancy, not-ready by reason', querystring: ByAgentQuerySchema, response: { 200: ByAgentReportSchema } },
      },
      async (request) => byAgent(deps, currentUser(request), request.query),
    );
    app.get(
      '/api/stats/service',
      {
        config: { access: CENTRE },
        schema: { tags, summary: '서비스 수준: offered, answered, SL, ASA, abandonment, callbacks, after hours', querystring: ServiceQuerySchema, response: { 200: ServiceReportSchema } },
      },
      async (request) => service(deps, request.query),
    );
    app.get(
      '/api/stats/headline',
      {
        config: { access: CENTRE },
        schema: { tags, summary: '직접처리율 against the target, first-contact resolution', querystring: HeadlineQuerySchema, response: { 200: HeadlineReportSchema } },
      },
      async (request) => headline(deps, request.query),
    );
    app.get(
      '/api/stats/rising',
      {
        config: { access: CENTRE },
        schema: { tags, summary: '급증 업무: categories well above their usual level for this hour or day', querystring: RisingQuerySchema, response: { 200: RisingReportSchema } },
      },
      async (request) => rising(deps, request.query),
    );

    // Export (issue #12 §2): the same reports, same access rules, as files. Agents' figures: supervisors and admins.
    app.get(
      '/api/stats/by-task/export',
      { config: { access: DEPARTMENT }, schema: exportSchema(ByTaskQuerySchema.extend(withFormat), '업무별') },
      async (request, reply) => send(reply, byTaskExport(await byTask(deps, currentUser(request), request.query)), request.query.format),
    );
    app.get(
      '/api/stats/by-period/export',
      { config: { access: CENTRE }, schema: exportSchema(ByPeriodQuerySchema.extend(withFormat), '기간별') },
      async (request, reply) => send(reply, byPeriodExport(await byPeriod(deps, request.query)), request.query.format),
    );
    app.get(
      '/api/stats/by-department/export',
      { config: { access: DEPARTMENT }, schema: exportSchema(ByDepartmentQuerySchema.extend(withFormat), '부서별') },
      async (request, reply) => send(reply, byDepartmentExport(await byDepartment(deps, currentUser(request), request.query)), request.query.format),
    );
    app.get(
      '/api/stats/by-agent/export',
      { config: { access: CENTRE }, schema: exportSchema(ByAgentQuerySchema.extend(withFormat), '상담사별') },
      async (request, reply) => send(reply, byAgentExport(await byAgent(deps, currentUser(request), request.query)), request.query.format),
    );
    app.get(
      '/api/stats/service/export',
      { config: { access: CENTRE }, schema: exportSchema(ServiceQuerySchema.extend(withFormat), '서비스 수준') },
      async (request, reply) => send(reply, serviceExport(await service(deps, request.query)), request.query.format),
    );
    app.get(
      '/api/stats/headline/export',
      { config: { access: CENTRE }, schema: exportSchema(HeadlineQuerySchema.extend(withFormat), '핵심 지표') },
      async (request, reply) => send(reply, headlineExport(await headline(deps, request.query)), request.query.format),
    );
  };
}
