import { z } from 'zod';
import type { AnyOperation } from './apiOperation.ts';

export const apiErrorSchema = z.object({
  error: z.object({
    code: z
      .string()
      .describe('Stable machine-readable code, e.g. invalid_request, unauthenticated, forbidden, not_found'),
    message: z
      .string()
      .describe('What went wrong, for a person; for invalid_request it starts with the field, e.g. "query.role: …"'),
    reference: z.string().optional().describe('For 500 errors: quote it to the operators'),
  }),
});

const ERROR = { $ref: '#/components/responses/Error' };

/** The OpenAPI 3.1 document for the operations, generated from their zod schemas (JSON Schema 2020-12). */
export function buildOpenApiDocument(
  operations: readonly AnyOperation[],
  info: { title: string; version: string; description?: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...objectParameters(op.params, 'path'), ...objectParameters(op.query, 'query')];
    const access = op.access;
    const secured = access.kind === 'api' || access.kind === 'member-or-api';
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      operationId: operationId(op.method, op.path),
      summary: op.summary,
      tags: [op.tag],
      ...(access.kind === 'api' ? { description: accessDescription(access.roles, access.orgKind) } : {}),
      ...(access.kind === 'member-or-api'
        ? {
            description: `A member's code, or ${accessDescription(access.roles, access.orgKind).replace(/^Needs /, '')}`,
          }
        : {}),
      security:
        access.kind === 'member-or-api'
          ? [{ memberCode: [] }, { bearerToken: [] }]
          : secured
            ? [{ bearerToken: [] }]
            : [],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }
        : {}),
      responses: {
        [String(op.successStatus ?? 200)]: {
          description: 'Success',
          content: { 'application/json': { schema: jsonSchema(op.response, 'output') } },
        },
        '400': ERROR,
        ...(secured ? { '401': ERROR, '403': ERROR } : {}),
        ...(op.params ? { '404': ERROR } : {}),
        ...(op.body ? { '415': ERROR } : {}),
        '429': ERROR,
        '500': ERROR,
      },
    };
  }
  const tags = [...new Set(operations.map((op) => op.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token from `liaison token create`, sent as `Authorization: Bearer <token>`',
        },
        memberCode: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: "A member's 16-digit code, sent as `Authorization: Member <code>`",
        },
      },
      schemas: { Error: jsonSchema(apiErrorSchema, 'output') },
      responses: {
        Error: {
          description: 'An error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}

function accessDescription(roles: readonly string[] | undefined, orgKind: string | undefined): string {
  const who = roles ? `tokens with role ${roles.join(' or ')}` : 'any valid token';
  return `Needs ${who}${orgKind ? ` of a ${orgKind} organisation` : ''}.`;
}

/** GET /api/v1/tokens/:id → getTokensById: stable, unique per method and path. */
function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '')
    .split('/')
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(property.description ? { description: property.description } : {}),
    schema: property,
  }));
}
