import type { z } from 'zod';
import '../validation/plainMessages.ts';

export interface FormErrors {
  /** For the GOV.UK error summary. */
  errors: { text: string; href: string }[];
  /** For each field's errorMessage. */
  fieldErrors: Record<string, { text: string }>;
}

/** Turns problems into what the error summary and fields show. Field ids equal field names. */
export function formErrors(problems: { field: string; message: string }[]): FormErrors {
  const fieldErrors: Record<string, { text: string }> = {};
  for (const { field, message } of problems) fieldErrors[field] ??= { text: message };
  return {
    errors: Object.entries(fieldErrors).map(([field, { text }]) => ({ text, href: `#${field}` })),
    fieldErrors,
  };
}

export function zodFormErrors(error: z.ZodError): FormErrors {
  return formErrors(error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'form'), message: issue.message })));
}

/** A form body as plain strings (first value of repeated fields), never throwing on odd input. */
export function formBody(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([key, value]) => [
      key,
      Array.isArray(value) ? String(value[0] ?? '') : String(value ?? ''),
    ]),
  );
}
