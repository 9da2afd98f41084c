import type { FastifyRequest } from 'fastify';

/** Builds the case page's context (the report, looked up within the caller's organisation, or a 404). */
export type CasePage = (
  request: FastifyRequest,
  extra?: Record<string, unknown>,
) => Promise<{ report: { id: string; reference: string } } & Record<string, unknown>>;
