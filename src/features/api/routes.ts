import type { FastifyError, FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { definePlatformApi } from './platformApi.ts';
import { defineTokenApi } from './tokenApi.ts';

/** The platform's own API operations; other features add theirs to the same registry. */
export function defineFoundationApi(api: ApiRegistry, services: Services): void {
  definePlatformApi(api, services);
  defineTokenApi(api, services);
}

// Fastify's body-parsing errors, in the API's own words and codes.
const PARSING_ERRORS: Record<string, HttpError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: new HttpError(400, 'invalid_json', 'The body is not valid JSON.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: new HttpError(400, 'invalid_json', 'The body is empty; send a JSON object.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.'),
};

/** Registers every API operation and the OpenAPI document generated from them. */
export async function apiRoutes(app: FastifyInstance, { api }: { api: ApiRegistry }) {
  // Errors this handler does not recognise go on to the application's one error handler.
  app.setErrorHandler((error: FastifyError) => {
    throw (error.code && PARSING_ERRORS[error.code]) || error;
  });
  api.register(app);
  app.get('/api/v1/openapi.json', { config: { access: { kind: 'public' } } }, async () =>
    api.openApiDocument({
      title: 'Liaison API',
      version: '1',
      description: 'JSON in and out. Errors are `{ "error": { "code", "message" } }` with a matching HTTP status.',
    }),
  );
}
