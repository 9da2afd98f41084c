import type { Migration } from 'kysely';
import * as foundation from './20261128_0001_foundation.ts';

/** Every migration, in order. Add new ones at the end with a later timestamp. */
export const migrations: Record<string, Migration> = {
  '20261128_0001_foundation': foundation,
};
