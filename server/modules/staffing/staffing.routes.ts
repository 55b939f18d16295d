import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Role } from '../../../core/contracts/enums';
import { StaffingExportQuerySchema, StaffingPlanQuerySchema, StaffingPlanSchema, StaffingWhatIfQuerySchema, StaffingWhatIfSchema } from '../../../core/contracts/staffing';
import type { AppDeps } from '../../deps';
import { statsFile } from '../statistics/statistics.export';
import { staffingExport } from './staffing.export';
import { planStaffing, staffingWhatIf } from './staffing.service';

const tags = ['staffing'];
/** Planning the centre's staff: supervisors and admins. */
const PLANNERS: Role[] = ['supervisor', 'admin'];

/** 인력 산정 (issue #12 §3): Erlang C per half hour of the week from the history; definitions in docs/METRICS.md. */
export function staffingRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/staffing/plan',
      {
        config: { access: PLANNERS },
        schema: {
          tags,
          summary: '인력 산정: agents needed per half hour (KST weekday × 30 min) for the service-level target, from the last N weeks',
          querystring: StaffingPlanQuerySchema,
          response: { 200: StaffingPlanSchema },
        },
      },
      async (request) => planStaffing(deps, request.query),
    );
    app.get(
      '/api/staffing/what-if',
      {
        config: { access: PLANNERS },
        schema: {
          tags,
          summary: '인력 산정 what-if: expected service level and ASA per half hour with a given number of scheduled agents',
          querystring: StaffingWhatIfQuerySchema,
          response: { 200: StaffingWhatIfSchema },
        },
      },
      async (request) => staffingWhatIf(deps, request.query),
    );
    app.get(
      '/api/staffing/what-if/export',
      {
        config: { access: PLANNERS },
        schema: {
          tags,
          summary: '인력 산정 as CSV (UTF-8 with BOM) or XLSX, Korean headers: the half hours with calls, plan and what-if',
          querystring: StaffingExportQuerySchema,
          produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        const file = await statsFile(staffingExport(await staffingWhatIf(deps, query)), format, deps.clock.now());
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', file.disposition)
          .header('cache-control', 'no-store')
          .serializer((payload: unknown) => payload as string)
          .send(file.body);
      },
    );
  };
}
