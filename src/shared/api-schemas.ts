/** Shapes every API route shares (zod): problem+json, bilingual texts, pagination, and field helpers. */
import { z } from 'zod';

/** A trimmed, non-empty text of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const isoTime = z.iso.datetime({ offset: true });
export const nullableIso = isoTime.nullable();

const ProblemParams = z.record(z.string(), z.union([z.string(), z.number()]));
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  /** Stable code (src/shared/problem-codes.ts): clients word the problem from it and `params`; `detail` is English. */
  code: z.string().optional(),
  params: ProblemParams.optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        code: z.string().optional(),
        params: ProblemParams.optional(),
      }),
    )
    .optional(),
});

/** A text written by Tocsin itself (detection) in both console languages. */
export const LocalizedText = z.object({ 'zh-CN': z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const Pagination = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });
