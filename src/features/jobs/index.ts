// What other features may use of the job runner: queueing work in the transaction of a change.
export { JobQueue, type JobPayload } from './jobQueue.ts';
