import { z } from 'zod';
import { IdSchema } from './common';
import { ComplaintTypeSchema } from './enums';

export const DepartmentSchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  location: z.string().nullable(),
});
export type Department = z.infer<typeof DepartmentSchema>;

/** One node of the 분야 → 업무 → 세부 taxonomy, flattened with its path for pickers. */
export const CategorySchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  level: z.number().int().min(1).max(3),
  code: z.string(),
  name: z.string(),
  /** "세무 > 자동차세 > 자동차세 연납 신청" */
  path: z.string(),
  /** Owner department of the task (inherited by details). Null on fields. */
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  /** 민원 유형 for the legal deadline (inherited by details). Null on fields. */
  complaintType: ComplaintTypeSchema.nullable(),
  /** The task's own legal deadline in days when its law sets one; otherwise the complaint type's rule applies. */
  deadlineDays: z.number().int().nullable(),
});
export type Category = z.infer<typeof CategorySchema>;
