import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { FieldCipher } from '../crypto/fieldCipher.ts';

/** Display names for actors: a staff member's email, or "API: <token name>". */
export async function actorNames(
  db: Kysely<DB>,
  cipher: FieldCipher,
  actors: { kind: string; id: string | null }[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const userIds = [...new Set(actors.filter((a) => a.kind === 'user' && a.id).map((a) => a.id as string))];
  const tokenIds = [...new Set(actors.filter((a) => a.kind === 'token' && a.id).map((a) => a.id as string))];
  if (userIds.length) {
    for (const row of await db.selectFrom('users').select(['id', 'email_enc']).where('id', 'in', userIds).execute()) {
      names.set(`user:${row.id}`, await cipher.decrypt(row.email_enc, 'users.email'));
    }
  }
  if (tokenIds.length) {
    for (const row of await db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', tokenIds).execute()) {
      names.set(`token:${row.id}`, `API: ${row.name}`);
    }
  }
  return names;
}
