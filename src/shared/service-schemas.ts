/** Request and response schemas of the firm's services (the catalogue incidents and probes refer to). */
import { z } from 'zod';
import { label } from './text.js';

export const Service = z.object({
  id: z.string(),
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string(),
});
export type Service = z.infer<typeof Service>;
export const ServiceCreate = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
  nameZh: label(120),
  nameEn: label(120),
  description: z.string().max(2000).default(''),
});
