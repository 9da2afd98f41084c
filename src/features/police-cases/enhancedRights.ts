/**
 * Enhanced rights under the Victims' Code are on by default for victims of
 * sexual offences, domestic abuse and hate crime. Decided from the report's
 * incident types (reporting/reportSchema.ts INCIDENT_TYPES):
 * - sexual offences: 'rape', 'sexual-assault', 'condom-removed-or-refused'
 *   (removing a condom without consent is a sexual offence);
 * - hate crime: 'hate-incident'.
 * The report form has no "domestic abuse" type (the people reporting are mostly
 * abused by clients, not partners), so for domestic abuse — and any other
 * ground, such as vulnerability or persistent targeting — the liaison or officer
 * sets it on the case (`PoliceCases.setEnhancedRights`), which wins over
 * the default in either direction.
 */
export const ENHANCED_RIGHTS_INCIDENT_TYPES: ReadonlySet<string> = new Set([
  'rape',
  'sexual-assault',
  'condom-removed-or-refused',
  'hate-incident',
]);

export function enhancedRightsByDefault(incidentTypes: readonly string[]): boolean {
  return incidentTypes.some((t) => ENHANCED_RIGHTS_INCIDENT_TYPES.has(t));
}
