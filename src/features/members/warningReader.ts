/**
 * What members read from the warnings feature (features/warnings/warningService.ts).
 * Kept as a narrow interface here so this feature depends only on the contract:
 * published, active warnings of one organisation, and the number/vehicle check.
 */
import type { CheckIdentifier, PublishedWarning, WarningMatch } from '../warnings/index.ts';

export type { CheckIdentifier, PublishedWarning, WarningMatch };

export interface WarningReader {
  /** Active published warnings of the organisation, newest first. */
  published(orgId: string, filter?: { area?: string; type?: string }): Promise<PublishedWarning[]>;
  /** Active warnings naming this phone number or (possibly partial) registration, read by `identifiers/readIdentifier`. */
  check(orgId: string, identifier: CheckIdentifier): Promise<WarningMatch[]>;
}
