/** Outcomes that mean the person was in touch: they count for "last successful contact". */
export const SUCCESSFUL_OUTCOMES = ['reached', 'message-passed', 'new-number-given'] as const;
