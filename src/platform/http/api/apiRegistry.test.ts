import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accessControl, type Authenticator } from '../access.ts';
import { installErrorHandling } from '../errorHandling.ts';
import { HttpError } from '../errors.ts';
import { ApiRegistry } from './apiRegistry.ts';
import { apiRoutes } from '../../../features/api/routes.ts';

// The route-definition helper on its own, behind the real access layer and error
// handler; the authenticator is a parameter, so one token stands in for a database.
const authenticator: Authenticator = {
  fromSessionCookie: async () => ({ kind: 'anonymous' }),
  fromBearerToken: async (token) =>
    token === 'good'
      ? { kind: 'api', tokenId: 't1', orgId: 'o1', orgKind: 'support', role: 'caseworker' }
      : { kind: 'anonymous' },
};

describe('the API route-definition helper', () => {
  let app: FastifyInstance;
  const received: unknown[] = [];

  beforeAll(async () => {
    const api = new ApiRegistry();
    api.define({
      method: 'POST',
      path: '/api/v1/notes/:noteId/tags',
      summary: 'Tag a note',
      tag: 'Test',
      access: { kind: 'api' },
      params: z.object({ noteId: z.string().regex(/^n\d+$/, 'Note id looks like n123') }),
      query: z.object({ dryRun: z.enum(['yes', 'no']).optional() }),
      body: z.object({ tag: z.string().min(1, 'Enter a tag'), weight: z.number().int().optional() }),
      response: z.object({ noteId: z.string(), tags: z.array(z.string()) }),
      successStatus: 201,
      async handler({ params, query, body }) {
        received.push({ params, query, body });
        // The extra field must never leave: the response schema is the allow-list.
        return { noteId: params.noteId, tags: [body.tag], ownerEmail: 'someone@example.org' } as {
          noteId: string;
          tags: string[];
        };
      },
    });
    api.define({
      method: 'GET',
      path: '/api/v1/broken',
      summary: 'Answers something that does not fit its schema',
      tag: 'Test',
      access: { kind: 'public' },
      response: z.object({ count: z.number() }),
      handler: async () => ({ count: 'many' }) as unknown as { count: number },
    });
    api.define({
      method: 'GET',
      path: '/api/v1/admin-only',
      summary: 'Only for administrators',
      tag: 'Test',
      access: { kind: 'api', roles: ['admin'] },
      response: z.object({}),
      handler: async () => {
        throw new HttpError(418, 'unreachable', 'never called');
      },
    });
    app = Fastify({ logger: false });
    await app.register(accessControl, { authenticator });
    installErrorHandling(app);
    await app.register(apiRoutes, { api });
    await app.ready();
  });
  afterAll(async () => app.close());

  const post = (payload: string, headers: Record<string, string> = {}, url = '/api/v1/notes/n1/tags') =>
    app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: 'Bearer good', 'content-type': 'application/json', ...headers },
    });

  it('passes parsed params, query and body to the handler, dropping unknown keys, and answers the declared status', async () => {
    const res = await post(
      JSON.stringify({ tag: 'urgent', weight: 2, sneaky: true }),
      {},
      '/api/v1/notes/n7/tags?dryRun=no&other=1',
    );
    expect(res.statusCode).toBe(201);
    expect(received.at(-1)).toEqual({
      params: { noteId: 'n7' },
      query: { dryRun: 'no' },
      body: { tag: 'urgent', weight: 2 },
    });
  });

  it('sends only what the response schema declares', async () => {
    const res = await post(JSON.stringify({ tag: 'urgent' }));
    expect(res.json()).toEqual({ noteId: 'n1', tags: ['urgent'] });
    expect(res.body).not.toContain('example.org');
  });

  it.each([
    [
      'a body field of the wrong type',
      JSON.stringify({ tag: 'x', weight: 1.5 }),
      '/api/v1/notes/n1/tags',
      /^body\.weight: /,
    ],
    ['a missing body field', JSON.stringify({}), '/api/v1/notes/n1/tags', /^body\.tag: /],
    [
      'a bad path parameter',
      JSON.stringify({ tag: 'x' }),
      '/api/v1/notes/x1/tags',
      /^params\.noteId: Note id looks like n123$/,
    ],
    ['a bad query parameter', JSON.stringify({ tag: 'x' }), '/api/v1/notes/n1/tags?dryRun=maybe', /^query\.dryRun: /],
  ])(
    'answers 400 invalid_request naming the field for %s, without calling the handler',
    async (_case, payload, url, message) => {
      const before = received.length;
      const res = await post(payload, {}, url);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(message) } });
      expect(received).toHaveLength(before);
    },
  );

  it('answers malformed or empty JSON with a 400 invalid_json', async () => {
    for (const res of [await post('{"tag": '), await post('')]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    }
  });

  it('refuses bodies that are not JSON with a 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      const res = await post('tag=x', { 'content-type': type });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
  });

  it('checks the token before anything else', async () => {
    const before = received.length;
    const res = await post('{"tag": ', { authorization: 'Bearer wrong' });
    expect(res.statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/v1/admin-only', headers: { authorization: 'Bearer good' } })).statusCode,
    ).toBe(403);
    expect(received).toHaveLength(before);
  });

  it('turns a response that breaks its own schema into a 500 with a reference, not a leak', async () => {
    const res = await app.inject({ url: '/api/v1/broken' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal', message: expect.any(String), reference: expect.stringMatching(/^[0-9A-F]{8}$/) },
    });
    expect(res.body).not.toContain('many');
  });

  it('generates a valid OpenAPI 3.1 document from the declarations', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(await new Validator().validate(doc)).toEqual({ valid: true });
    const op = doc.paths['/api/v1/notes/{noteId}/tags'].post;
    expect(op).toMatchObject({
      operationId: 'postNotesByNoteIdTags',
      security: [{ bearerToken: [] }],
      parameters: [
        { name: 'noteId', in: 'path', required: true, schema: { type: 'string', pattern: '^n\\d+$' } },
        { name: 'dryRun', in: 'query', required: false, schema: { enum: ['yes', 'no'] } },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['tag'] } } },
      },
      responses: {
        '201': { content: { 'application/json': { schema: { required: ['noteId', 'tags'] } } } },
        '401': {},
        '403': {},
        '415': {},
      },
    });
    expect(doc.paths['/api/v1/broken'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/admin-only'].get.description).toBe('Needs tokens with role admin.');
    expect(doc.components.schemas.Error).toMatchObject({ required: ['error'] });
  });

  it('a broken document fails the same validator (so the check above means something)', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    doc.paths['/api/v1/broken'].get.parameters = [{ name: 'count', in: 'body', schema: { type: 'string' } }];
    expect((await new Validator().validate(doc)).valid).toBe(false);
  });

  it('refuses operations outside /api/v1 and operations defined twice', () => {
    const api = new ApiRegistry();
    const op = {
      method: 'GET',
      path: '/api/v1/x',
      summary: 's',
      tag: 't',
      access: { kind: 'public' },
      response: z.object({}),
      handler: async () => ({}),
    } as const;
    api.define(op);
    expect(() => api.define(op)).toThrow('defined twice');
    expect(() => api.define({ ...op, path: '/admin/x' })).toThrow('under /api/v1/');
  });
});
