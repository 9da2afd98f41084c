import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { HttpError } from '../errors.ts';
import type { AnyOperation, ApiOperation } from './apiOperation.ts';
import { buildOpenApiDocument } from './openApiDocument.ts';

export { apiErrorSchema } from './openApiDocument.ts';

export type { AnyOperation, ApiOperation } from './apiOperation.ts';

/** Parses one part of the request; the first problem becomes a 400 naming the field, e.g. "query.role". */
function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].join('.');
  throw new HttpError(400, 'invalid_request', `${field}: ${issue.message}`);
}

/** Every /api/v1 operation; features add theirs, and the OpenAPI document is generated from them. */
export class ApiRegistry {
  private readonly defined: AnyOperation[] = [];

  define<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    operation: ApiOperation<P, Q, B, R>,
  ): void {
    const key = `${operation.method} ${operation.path}`;
    if (!operation.path.startsWith('/api/v1/')) throw new Error(`API operation ${key} must live under /api/v1/`);
    if (this.paths().includes(key)) throw new Error(`API operation ${key} is defined twice`);
    this.defined.push(operation);
  }

  /** Registers the Fastify routes for every defined operation. */
  register(app: FastifyInstance): void {
    for (const operation of this.defined) {
      app.route({
        method: operation.method,
        url: operation.path,
        config: { access: operation.access, ...(operation.rateLimit ? { rateLimit: operation.rateLimit } : {}) },
        handler: async (request, reply) => {
          if (operation.body && !/^application\/json\s*(;|$)/i.test(String(request.headers['content-type'] ?? ''))) {
            throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.');
          }
          const result = await operation.handler({
            params: parse(operation.params, request.params, 'params'),
            query: parse(operation.query, request.query, 'query'),
            body: parse(operation.body, request.body, 'body'),
            request,
          });
          // A result that does not fit its own schema is our bug: a 500, never a leak.
          const checked = operation.response.safeParse(result);
          if (!checked.success)
            throw new Error(`Response of ${operation.method} ${operation.path} does not match its schema`);
          return reply.code(operation.successStatus ?? 200).send(checked.data);
        },
      });
    }
  }

  operations(): readonly AnyOperation[] {
    return this.defined;
  }

  paths(): string[] {
    return this.defined.map((op) => `${op.method} ${op.path}`);
  }

  openApiDocument(info: { title: string; version: string; description?: string }): Record<string, unknown> {
    return buildOpenApiDocument(this.defined, info);
  }
}
