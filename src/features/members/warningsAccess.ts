import type { Services } from '../../composition.ts';
import type { WarningReader } from './warningReader.ts';

/** The warnings feature's service, seen through the narrow contract members rely on (warningReader.ts). */
export function warningsOf(services: Services): WarningReader {
  return services.warnings;
}
