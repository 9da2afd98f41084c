import type { FastifyServerOptions } from 'fastify';
import type { LevelWithSilent } from 'pino';

/**
 * Logs name the route pattern, never the raw URL (it may carry a setup or
 * invitation token), and never include addresses, user agents, headers,
 * cookies or bodies.
 */
export function loggerOptions(config: {
  logLevel: LevelWithSilent;
}): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: config.logLevel,
    base: null,
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({
        method: req.method,
        route: req.routeOptions?.url ?? '(unmatched)',
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error & { code?: string }) => ({
        type: err.name,
        code: err.code,
        message: err.message,
        stack: err.stack ?? '',
      }),
    },
  };
}
