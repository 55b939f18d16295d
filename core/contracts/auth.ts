import { z } from 'zod';
import { IdSchema } from './common';
import { RoleSchema } from './enums';

export const LoginBodySchema = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** The signed-in user as the web app sees it. */
export const MeSchema = z.object({
  id: IdSchema,
  login: z.string(),
  name: z.string(),
  role: RoleSchema,
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
});
export type Me = z.infer<typeof MeSchema>;
