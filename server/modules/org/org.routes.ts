import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdSchema } from '../../../core/contracts/common';
import {
  CategoryAdminSchema,
  CategoryCreateSchema,
  CategoryUpdateSchema,
  DepartmentAdminSchema,
  DepartmentCreateSchema,
  DepartmentUpdateSchema,
  EditorChangePageSchema,
  EditorChangeQuerySchema,
} from '../../../core/contracts/editors';
import { CategorySchema, DepartmentSchema } from '../../../core/contracts/org';
import type { AppDeps } from '../../deps';
import { currentUser } from '../../http/access';
import { editorChangePage } from './editor-changes';
import {
  createCategory,
  createDepartment,
  editCategory,
  editDepartment,
  getCategories,
  getDepartments,
  listCategoriesForAdmin,
  listDepartmentsForAdmin,
  removeDepartment,
} from './org.service';

const ADMIN = ['admin'] as const;
const params = z.object({ id: IdSchema });

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

    // The admin's editors (issue #18 item 13): departments and the category tree, all statuses.
    const tags = ['org'];
    app.get(
      '/api/admin/departments',
      { config: { access: ADMIN }, schema: { tags, summary: '부서 관리: every department with its counts', response: { 200: z.object({ items: z.array(DepartmentAdminSchema) }) } } },
      async () => ({ items: await listDepartmentsForAdmin(deps) }),
    );
    app.post(
      '/api/admin/departments',
      { config: { access: ADMIN }, schema: { tags, summary: '부서 등록', body: DepartmentCreateSchema, response: { 201: DepartmentAdminSchema } } },
      async (request, reply) => reply.status(201).send(await createDepartment(deps, request.body, currentUser(request).id)),
    );
    app.put(
      '/api/admin/departments/:id',
      { config: { access: ADMIN }, schema: { tags, summary: '부서 이름·전화·위치·응대 시간·사용 여부', params, body: DepartmentUpdateSchema, response: { 200: DepartmentAdminSchema } } },
      async (request) => editDepartment(deps, request.params.id, request.body, currentUser(request).id),
    );
    app.delete(
      '/api/admin/departments/:id',
      { config: { access: ADMIN }, schema: { tags, summary: '부서 삭제 (아무것도 가리키지 않을 때만; 아니면 409 DEPARTMENT_IN_USE)', params, response: { 204: z.null() } } },
      async (request, reply) => {
        await removeDepartment(deps, request.params.id, currentUser(request).id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/admin/categories',
      { config: { access: ADMIN }, schema: { tags, summary: '상담 분류 관리: the whole tree with 처리기한 examples', response: { 200: z.object({ items: z.array(CategoryAdminSchema) }) } } },
      async () => ({ items: await listCategoriesForAdmin(deps) }),
    );
    app.post(
      '/api/admin/categories',
      { config: { access: ADMIN }, schema: { tags, summary: '상담 분류 추가', body: CategoryCreateSchema, response: { 201: CategoryAdminSchema } } },
      async (request, reply) => reply.status(201).send(await createCategory(deps, request.body, currentUser(request).id)),
    );
    app.put(
      '/api/admin/categories/:id',
      { config: { access: ADMIN }, schema: { tags, summary: '상담 분류 변경 (기존 이관의 처리기한은 그대로)', params, body: CategoryUpdateSchema, response: { 200: CategoryAdminSchema } } },
      async (request) => editCategory(deps, request.params.id, request.body, currentUser(request).id),
    );

    // 변경 이력 (issue #18 item 13): what the org and article editors changed, who and when, newest first.
    app.get(
      '/api/admin/editor-changes',
      { config: { access: ADMIN }, schema: { tags, summary: '변경 이력: 부서·상담 분류·상담 자료 편집 기록', querystring: EditorChangeQuerySchema, response: { 200: EditorChangePageSchema } } },
      async (request) => editorChangePage(deps, request.query),
    );
  };
}
