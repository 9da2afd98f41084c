// What other features may use of organisations: nothing else in this folder is theirs to import.
export { readArea, storeArea } from './areaText.ts';
export { newOrganisationSchema } from './organisationService.ts';
export type { OrganisationService } from './organisationService.ts';
