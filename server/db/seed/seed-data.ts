import { z } from 'zod';
import { ComplaintTypeSchema } from '../../../core/contracts/enums';

/** Shapes of the demo data files in ./data (also the import format for a city's own departments and taxonomy). */
export const DepartmentFileSchema = z.array(
  z.object({ code: z.string(), name: z.string(), phone: z.string().optional(), location: z.string().optional() }),
);

type CategoryNode = { code: string; name: string; department?: string; complaintType?: z.infer<typeof ComplaintTypeSchema>; deadlineDays?: number; children?: CategoryNode[] };
export const CategoryNodeSchema: z.ZodType<CategoryNode> = z.lazy(() =>
  z.object({
    code: z.string().min(1),
    name: z.string().min(1),
    department: z.string().optional(),
    complaintType: ComplaintTypeSchema.optional(),
    deadlineDays: z.number().int().positive().optional(),
    children: z.array(CategoryNodeSchema).optional(),
  }),
);
export const CategoryFileSchema = z.array(CategoryNodeSchema);

const Person = z.object({ login: z.string(), name: z.string() });
export const StaffFileSchema = z.object({
  officials: z.array(Person.extend({ department: z.string(), title: z.string().optional(), extension: z.string().optional(), duties: z.array(z.string()) })),
  agents: z.array(Person),
  supervisors: z.array(Person),
  admins: z.array(Person),
});

export const CitizenFileSchema = z.array(
  z.object({
    phone: z.string(),
    name: z.string().optional(),
    cases: z.array(
      z.object({
        daysAgo: z.number().int().min(0),
        agent: z.string(),
        category: z.string(),
        summary: z.string(),
        notes: z.string(),
        outcome: z.enum(['resolved', 'handed_off']),
        handoff: z
          .object({ status: z.enum(['pending', 'acknowledged', 'answered']), official: z.string().optional(), answer: z.string().optional() })
          .optional(),
      }),
    ),
  }),
);
