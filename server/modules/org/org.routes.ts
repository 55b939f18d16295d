import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CategorySchema, DepartmentSchema } from '../../../core/contracts/org';
import type { AppDeps } from '../../deps';
import { listCategories, listDepartments } from './org.repository';

export function orgRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/departments',
      { config: { access: 'signed-in' }, schema: { tags: ['org'], response: { 200: z.array(DepartmentSchema) } } },
      async () => {
        const rows = await listDepartments(deps.db);
        return rows.map((d) => ({ id: d.id, code: d.code, name: d.name, phone: d.phone, location: d.location }));
      },
    );

    app.get(
      '/api/categories',
      { config: { access: 'signed-in' }, schema: { tags: ['org'], response: { 200: z.array(CategorySchema) } } },
      async () => {
        const rows = await listCategories(deps.db);
        return rows.map((c) => ({
          id: c.id,
          parentId: c.parent_id,
          level: c.level,
          code: c.code,
          name: c.name,
          path: c.path,
          departmentId: c.department_id,
          departmentName: c.department_name,
          complaintType: c.complaint_type,
        }));
      },
    );
  };
}
