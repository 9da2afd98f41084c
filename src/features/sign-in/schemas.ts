import { z } from 'zod';

export const passwordForm = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

/** A 6-digit code or a recovery code; anything longer is wrong either way. */
export const codeForm = z.object({ code: z.string().max(64).default('') });

export const confirmForm = z.object({
  code: z.string().max(64).default(''),
  next: z.string().max(2048).default('/staff'),
});

export const confirmQuery = z.object({ next: z.string().max(2048).default('/staff') });
