import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Role } from '../../../core/contracts/enums';
import { ProtectionReportSchema } from '../../../core/contracts/protection';
import { ByAgentQuerySchema } from '../../../core/contracts/statistics';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import type { BreakService } from '../protection/breaks.service';
import { protectionExport, protectionReport } from './protection-stats';
import { StatsExportFormatSchema, statsFile } from './statistics.export';

const tags = ['statistics'];
/** Agents see their own figures (another agent's: 403), supervisors and admins everyone's. */
const AGENT: Role[] = ['agent', 'supervisor', 'admin'];

/** 통계 › 상담사 보호 (issue #14 §5), registered by the protection plugin (it owns the breaks' service). */
export function protectionStatsRoutes(deps: AppDeps, breaks: BreakService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/stats/protection',
      {
        config: { access: AGENT },
        schema: { tags, summary: '상담사 보호: incidents by type, agent, hour and caller flag; 회복, 심리상담, breaks', querystring: ByAgentQuerySchema, response: { 200: ProtectionReportSchema } },
      },
      async (request) => protectionReport(deps, breaks, currentUser(request), request.query),
    );
    app.get(
      '/api/stats/protection/export',
      {
        config: { access: AGENT },
        schema: {
          tags,
          summary: '상담사 보호 as CSV (UTF-8 with BOM) or XLSX, Korean headers',
          querystring: ByAgentQuerySchema.extend({ format: StatsExportFormatSchema }),
          produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        },
      },
      async (request, reply) => {
        const { format, ...q } = request.query;
        const file = await statsFile(protectionExport(await protectionReport(deps, breaks, currentUser(request), q)), format, deps.clock.now());
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
