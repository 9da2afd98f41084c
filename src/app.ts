import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Services } from './composition.ts';
import type { Config } from './config.ts';
import { hmac } from './platform/crypto/index.ts';
import { accessControl } from './platform/http/access.ts';
import { csrfProtection } from './platform/http/csrf.ts';
import { installErrorHandling, rewriteMalformedUrl } from './platform/http/errorHandling.ts';
import { replaceNavigation } from './platform/http/replaceNavigation.ts';
import { metricsGate } from './platform/http/metricsAccess.ts';
import { sharedRateLimitStore } from './platform/http/rateLimitStore.ts';
import { securityHeaders } from './platform/http/securityHeaders.ts';
import { createTemplateEnvironment, views } from './platform/http/views.ts';
import { loggerOptions } from './platform/logging.ts';
import { registerRoutes } from './routes.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

export interface AppOptions {
  /** Where logs go (default stdout); tests capture them to prove what is never logged. */
  logStream?: { write(line: string): void };
}

/** Fastify's form of TRUST_PROXY: a hop count trusts that many proxies nearest the server (as proxy-addr does). */
function trustedProxies(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/** Builds the whole HTTP application from its services. Listening is the caller's job (see server.ts). */
export async function createApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: { ...loggerOptions(config), ...(options.logStream ? { stream: options.logStream } : {}) },
    // Fastify's own request logs include the raw URL; ours (below) name the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    // Request ids are ours, never taken from a client header.
    requestIdHeader: false,
    // A hop count or the proxies' addresses (config.ts refuses `true`): the client address is the
    // first X-Forwarded-For entry added by a trusted proxy, so a client cannot choose its own.
    trustProxy: trustedProxies(config.trustProxy),
    rewriteUrl: (request) => rewriteMalformedUrl(request.url ?? '/'),
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });

  app.addHook('onResponse', async (request, reply) => {
    services.metrics.observe(request, reply);
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime) }, 'request completed');
  });

  await app.register(securityHeaders, { https: config.secureCookies });
  await app.register(replaceNavigation);
  // Pages and assets go out compressed: people often report on cheap phones with little data.
  // Brotli at a middling quality keeps the CPU cost per page low.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Limits are counted per network address, but keyed by a keyed hash so no
  // visitor's address is held even in memory. The counts live in the database
  // (the throttle table), so several instances share one limit.
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => hmac(services.keys.throttle, `rate:${request.ip}`),
    store: sharedRateLimitStore(services.throttle),
  });
  await app.register(accessControl, {
    authenticator: services.authenticator,
    metricsGate: metricsGate(config.metrics),
  });
  await app.register(csrfProtection, {
    key: services.keys.csrf,
    cookieName: services.cookies.csrf,
    secure: config.secureCookies,
  });
  await app.register(views, { env: createTemplateEnvironment(services.siteGlobals) });

  await app.register(async (assets) => {
    // Static files are public; plugins register their own routes, so the rule is added here.
    assets.addHook('onRoute', (route: RouteOptions) => {
      route.config = { ...route.config, access: { kind: 'public' } };
    });
    const cacheable = { cacheControl: true, maxAge: '1h', etag: true, lastModified: false };
    // Our own assets ship pre-compressed at the highest level (npm run build:css writes them).
    await assets.register(fastifyStatic, {
      root: path.join(root, 'public'),
      prefix: '/assets/',
      ...cacheable,
      index: false,
      preCompressed: true,
    });
    await assets.register(fastifyStatic, {
      root: path.join(govukDist, 'assets', 'images'),
      prefix: '/assets/govuk/images/',
      decorateReply: false,
      index: false,
      ...cacheable,
    });
    await assets.register(fastifyStatic, {
      root: govukDist,
      prefix: '/assets/govuk/',
      decorateReply: false,
      index: false,
      ...cacheable,
      // Only the script: never the GOV.UK fonts or anything else in the package.
      allowedPath: (pathName: string) => pathName === '/govuk-frontend.min.js',
    });
  });

  installErrorHandling(app, { preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute' }) });
  await registerRoutes(app, services);
  return app;
}
