/**
 * Lets the event loop serve waiting requests before long work goes on.
 * better-sqlite3 runs each statement synchronously, so a loop of `await`s on
 * SQLite queries only ever waits on microtasks and would hold the site until
 * the whole loop ends; batch jobs (erasure, re-encryption) call this between
 * batches. On PostgreSQL it costs a turn of the loop.
 */
export function yieldToRequests(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
