// Form bodies: read as strings and validated with zod into a message that names the field.
import type { Context } from 'hono';
import type { z } from 'zod';

/** The string fields of a urlencoded or multipart body (files are ignored); empty for other bodies. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  // parseBody caches the body, so the CSRF check and the route can both read it.
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

/** The parsed value, or a message such as `username: must not be empty`. */
export function validateForm<S extends z.ZodType>(schema: S, form: Record<string, string>): { ok: true; value: z.infer<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ') };
}
