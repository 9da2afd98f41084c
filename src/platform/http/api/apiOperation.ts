import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccessRule } from '../principal.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API operation, declared once: its schemas drive validation and the OpenAPI document. */
export interface ApiOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Fastify path, e.g. /api/v1/reports/:reference */
  path: string;
  summary: string;
  tag: string;
  access: Extract<AccessRule, { kind: 'api' | 'public' | 'member-or-api' }>;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * What the operation answers. It is also the allow-list of what leaves:
   * the handler's result is parsed with it, so a field not declared here
   * (an email, a hash) is dropped rather than sent.
   */
  response: R;
  successStatus?: number;
  /** A per-address limit (@fastify/rate-limit route options), counted across instances. */
  rateLimit?: { max: number; timeWindow: string | number; allowList?: (request: FastifyRequest) => boolean };
  handler(input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    request: FastifyRequest;
  }): Promise<z.input<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of operations of different shapes
export type AnyOperation = ApiOperation<any, any, any, any>;
