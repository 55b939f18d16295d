import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgentBreakSchema, BreakDayQuerySchema, BreakPlanSchema, BreakPlansSchema, MyBreaksSchema } from '../../../core/contracts/breaks';
import { IdSchema } from '../../../core/contracts/common';
import { kstDayOf } from '../../../core/domain/breaks';
import { viewerOf } from '../privacy/access-context';
import type { BreakService } from './breaks.service';

const DESK = ['agent', 'supervisor'] as const;
const AGENT_OR_WATCH = ['agent', 'supervisor', 'admin'] as const;
const WATCH = ['supervisor', 'admin'] as const;
const params = z.object({ id: IdSchema });
const tags = ['protection'];

/** Scheduled breaks (issue #14 §4): plans (supervisors), the day's breaks, the desk's next break and countdown. */
export function breakRoutes(breaks: BreakService, now: () => number): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/protection/break-plans',
      { config: { access: WATCH }, schema: { tags, summary: "The centre's default break plan and the agents' own", response: { 200: BreakPlansSchema } } },
      async () => breaks.listPlans(),
    );
    app.put(
      '/api/protection/break-plans/default',
      { config: { access: WATCH }, schema: { tags, summary: "Set the centre's default break plan", body: BreakPlanSchema, response: { 200: BreakPlansSchema } } },
      async (request) => breaks.savePlan(viewerOf(request), null, request.body),
    );
    app.put(
      '/api/protection/break-plans/:id',
      { config: { access: WATCH }, schema: { tags, summary: "Set one agent's break plan", params, body: BreakPlanSchema, response: { 200: BreakPlansSchema } } },
      async (request) => breaks.savePlan(viewerOf(request), request.params.id, request.body),
    );
    app.delete(
      '/api/protection/break-plans/:id',
      { config: { access: WATCH }, schema: { tags, summary: 'The agent follows the default plan again', params, response: { 200: BreakPlansSchema } } },
      async (request) => breaks.clearPlan(request.params.id),
    );
    app.get(
      '/api/protection/breaks',
      {
        config: { access: AGENT_OR_WATCH },
        schema: { tags, summary: "A KST day's scheduled breaks: taken, postponed, missed (agents: their own)", querystring: BreakDayQuerySchema, response: { 200: z.object({ items: z.array(AgentBreakSchema) }) } },
      },
      async (request) => ({ items: await breaks.listBreaks(viewerOf(request), request.query.day ?? kstDayOf(now())) }),
    );
    app.get(
      '/api/protection/breaks/me',
      { config: { access: DESK }, schema: { tags, summary: "The desk's break now, the next one and today's", response: { 200: MyBreaksSchema } } },
      async (request) => breaks.myBreaks(viewerOf(request)),
    );
  };
}
