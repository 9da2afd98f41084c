import { z } from 'zod';

/** Ids in paths: anything else is simply "not found", never passed on to SQL as-is. */
export const userIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** One-time link tokens (invitation, setup): 32 random bytes in base64url. */
export const linkTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/) });

// Checked further by the service, which gives the person the specific message.
export const inviteForm = z.object({ email: z.string().max(1024).default(''), role: z.string().max(64).default('') });

export const roleForm = z.object({ role: z.string().max(64).default('') });
export const caseworkRoleForm = z.object({ caseworkRole: z.string().max(64).default('') });

// No max here: the policy gives the specific "128 characters or fewer" message (the body limit bounds size).
export const choosePasswordForm = z.object({ password: z.string().default(''), confirm: z.string().default('') });

export const enrolmentCodeForm = z.object({ code: z.string().max(64).default('') });
