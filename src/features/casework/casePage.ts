import type { FastifyRequest } from 'fastify';

/**
 * A section another feature adds to the case page's context (keeping and
 * erasing the report, say): the composition root (src/routes.ts) hands these
 * to the page, so the page never imports a higher feature.
 */
export type CasePanel = (
  request: FastifyRequest,
  report: { id: string; reference: string },
) => Promise<Record<string, unknown>>;

/** Builds the case page's context (the report, looked up within the caller's organisation, or a 404). */
export type CasePage = (
  request: FastifyRequest,
  extra?: Record<string, unknown>,
) => Promise<{ report: { id: string; reference: string } } & Record<string, unknown>>;
