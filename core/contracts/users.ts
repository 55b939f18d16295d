import { z } from 'zod';
import { IdSchema } from './common';
import { RoleSchema } from './enums';

/** 사용자 관리 (issue #18 item 12): the admin's view of an account. */
export const AdminUserSchema = z.object({
  id: IdSchema,
  login: z.string(),
  name: z.string(),
  role: RoleSchema,
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  title: z.string().nullable(),
  extension: z.string().nullable(),
  isActive: z.boolean(),
  isDepartmentHead: z.boolean(),
  /** The account holds a temporary password: the next sign-in asks for a new one first. */
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const AdminUserListSchema = z.object({ items: z.array(AdminUserSchema) });
export type AdminUserList = z.infer<typeof AdminUserListSchema>;

/** A login: letters, digits, '.', '_' and '-', starting with a letter (as the city's staff ids are written). */
export const NewLoginSchema = z
  .string()
  .trim()
  .min(3, '로그인 아이디는 3자 이상이어야 합니다.')
  .max(40, '로그인 아이디는 40자 이하여야 합니다.')
  .regex(/^[a-z][a-z0-9._-]*$/, '로그인 아이디는 영문 소문자로 시작하고 영문 소문자, 숫자, . _ - 만 쓸 수 있습니다.');

const NameSchema = z.string().trim().min(1, '이름을 입력하세요.').max(50);
const TitleSchema = z.string().trim().max(50).nullable();
const ExtensionSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{2,8}$/, '내선 번호는 숫자 2~8자리입니다.')
  .nullable();

export const CreateUserBodySchema = z.object({
  login: NewLoginSchema,
  name: NameSchema,
  role: RoleSchema,
  departmentId: IdSchema.nullable().default(null),
  title: TitleSchema.default(null),
  extension: ExtensionSchema.default(null),
  isDepartmentHead: z.boolean().default(false),
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

/** Changes to an account; fields left out stay as they are. */
export const UpdateUserBodySchema = z
  .object({
    name: NameSchema,
    role: RoleSchema,
    departmentId: IdSchema.nullable(),
    title: TitleSchema,
    extension: ExtensionSchema,
    isDepartmentHead: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: '바꿀 항목이 없습니다.' });
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

/** A new account or a reset: the temporary password is shown once, to hand over; it must be changed at sign-in. */
export const TemporaryPasswordAnswerSchema = z.object({ user: AdminUserSchema, temporaryPassword: z.string() });
export type TemporaryPasswordAnswer = z.infer<typeof TemporaryPasswordAnswerSchema>;
