import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../platform/http/errors.ts';
import type { AccessRule } from '../../platform/http/principal.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API operation, declared once: its schemas drive validation and the OpenAPI document. */
export interface ApiOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Fastify path, e.g. /api/v1/reports/:reference */
  path: string;
  summary: string;
  tag: string;
  access: Extract<AccessRule, { kind: 'api' | 'public' }>;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  successStatus?: number;
  handler(input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; request: FastifyRequest }): Promise<z.infer<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of operations of different shapes
type AnyOperation = ApiOperation<any, any, any, any>;

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

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
  private readonly operations: AnyOperation[] = [];

  define<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(operation: ApiOperation<P, Q, B, R>): void {
    this.operations.push(operation);
  }

  /** Registers the Fastify routes for every defined operation. */
  register(app: FastifyInstance): void {
    for (const operation of this.operations) {
      app.route({
        method: operation.method,
        url: operation.path,
        config: { access: operation.access },
        handler: async (request, reply) => {
          if (operation.body && !String(request.headers['content-type'] ?? '').startsWith('application/json')) {
            throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.');
          }
          const result = await operation.handler({
            params: parse(operation.params, request.params, 'params'),
            query: parse(operation.query, request.query, 'query'),
            body: parse(operation.body, request.body, 'body'),
            request,
          });
          return reply.code(operation.successStatus ?? 200).send(result);
        },
      });
    }
  }

  paths(): string[] {
    return this.operations.map((op) => `${op.method} ${op.path}`);
  }

  openApiDocument(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const path = op.path.replace(/:(\w+)/g, '{$1}');
      const parameters = [
        ...objectParameters(op.params, 'path'),
        ...objectParameters(op.query, 'query'),
      ];
      paths[path] ??= {};
      paths[path][op.method.toLowerCase()] = {
        summary: op.summary,
        tags: [op.tag],
        ...(op.access.kind === 'api' ? { security: [{ bearerToken: [] }] } : { security: [] }),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
        responses: {
          [String(op.successStatus ?? 200)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(op.response, 'output') } } },
          '400': { $ref: '#/components/responses/Error' },
          ...(op.access.kind === 'api' ? { '401': { $ref: '#/components/responses/Error' }, '403': { $ref: '#/components/responses/Error' } } : {}),
        },
      };
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      paths,
      components: {
        securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'A token from `liaison token create`' } },
        responses: { Error: { description: 'An error', content: { 'application/json': { schema: jsonSchema(apiErrorSchema, 'output') } } } },
      },
    };
  }
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
