import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CategorySchema, DepartmentSchema } from '../../../core/contracts/org';
import type { AppDeps } from '../../deps';
import { getCategories, getDepartments } from './org.service';

export function orgRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/departments',
      { config: { access: 'signed-in' }, schema: { tags: ['org'], response: { 200: z.array(DepartmentSchema) } } },
      async () => getDepartments(deps),
    );

    app.get(
      '/api/categories',
      { config: { access: 'signed-in' }, schema: { tags: ['org'], response: { 200: z.array(CategorySchema) } } },
      async () => getCategories(deps),
    );
  };
}
