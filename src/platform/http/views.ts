import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** Template search path: shared layouts, then feature folders ("audit/views/list.njk"), then GOV.UK. */
export const TEMPLATE_ROOTS = [path.join(here, '..', 'views'), path.join(here, '..', '..', 'features'), govukDist];

export interface SiteGlobals {
  serviceName: string;
  publicPageTitle: string;
  exitUrl: string;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a template as an HTML page with the site globals, CSP nonce, CSRF token and caller. */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

export function createTemplateEnvironment(globals: SiteGlobals): nunjucks.Environment {
  // Templates are compiled once and cached in memory (noCache: false).
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_ROOTS, { noCache: false, watch: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  for (const [name, value] of Object.entries(globals)) env.addGlobal(name, value);
  return env;
}

export const views = fp(async function views(app: FastifyInstance, opts: { env: nunjucks.Environment }) {
  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const html = opts.env.render(template, {
      cspNonce: (this as unknown as { cspNonce?: { script?: string } }).cspNonce?.script,
      csrfToken: request.csrfToken(this),
      principal: request.principal,
      currentPath: request.url.split('?')[0],
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
});
