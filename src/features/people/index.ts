// What other features may use of people: nothing else in this folder is theirs to import.
export { PeopleError } from './peopleService.ts';
export type { PeopleService } from './peopleService.ts';
export { personOwnData, type PersonOwnData } from './personOwnData.ts';
export { SIGHTINGS, SIGHTING_KEYS, reachMeInputSchema, sightingSchema } from './reachMeSchemas.ts';
export type { ReachMeInput, Sighting } from './reachMeSchemas.ts';
