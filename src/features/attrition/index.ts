// What other features may use of attrition: nothing else in this folder is theirs to import.
export { syncAttritionWatch } from './attritionWatch.ts';
export type { Engagement } from './engagement.ts';
