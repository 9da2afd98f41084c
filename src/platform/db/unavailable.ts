/**
 * Whether an error means the database could not serve the request right now
 * (connection dropped, server restarting, pool exhausted, a lock or statement
 * timeout), as opposed to a bug. Such requests answer 503: the person may try
 * again shortly, and nothing was saved because the transaction rolled back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL SQLSTATEs: connection exceptions (08…), operator intervention
    // (57P01 terminated by administrator, 57P02 crash, 57P03 cannot connect now,
    // 57014 statement timeout), too many connections, lock timeout, and the
    // idle-in-transaction timeout.
    if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || ['57014', '53300', '55P03', '25P03'].includes(code))
      return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'SQLITE_BUSY', 'DATABASE_TIMEOUT'].includes(code))
      return true;
  }
  // node-postgres reports a lost or unobtainable connection by message only.
  return /Connection terminated|not queryable|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}
