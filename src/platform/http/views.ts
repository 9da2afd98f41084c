import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { personText } from './personText.ts';

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

export interface RenderOptions {
  /**
   * The page is the same for every anonymous visitor (no input, no data), so
   * it is rendered once and reused, with only the nonce and CSRF token filled
   * in per response. Never set this for a page that shows anything typed or stored.
   */
  static?: boolean;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a template as an HTML page with the site globals, CSP nonce, CSRF token and caller. */
    render(template: string, context?: Record<string, unknown>, options?: RenderOptions): FastifyReply;
  }
}

export function createTemplateEnvironment(globals: SiteGlobals): nunjucks.Environment {
  // Templates are compiled once and cached in memory (noCache: false).
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(TEMPLATE_ROOTS, { noCache: false, watch: false }),
    {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
    },
  );
  for (const [name, value] of Object.entries(globals)) env.addGlobal(name, value);
  // `{{ report.account | person }}`: everything a person wrote, on staff and police pages.
  env.addFilter('person', personText);
  return env;
}

// Stand-ins rendered into static pages, replaced per response.
const NONCE_SLOT = 'liaison-nonce-slot-7f3a';
const CSRF_SLOT = 'liaison-csrf-slot-7f3a';

interface StaticPage {
  parts: string[];
  needsCsrf: boolean;
}

export const views = fp(async function views(app: FastifyInstance, opts: { env: nunjucks.Environment }) {
  const staticPages = new Map<string, StaticPage>();

  app.decorateReply(
    'render',
    function render(
      this: FastifyReply,
      template: string,
      context: Record<string, unknown> = {},
      options: RenderOptions = {},
    ) {
      const request = this.request;
      const nonce = (this as unknown as { cspNonce?: { script?: string } }).cspNonce?.script ?? '';
      const currentPath = request.url.split('?')[0];
      this.type('text/html; charset=utf-8');
      if (options.static && request.principal.kind === 'anonymous') {
        const key = `${template}|${currentPath}`;
        let page = staticPages.get(key);
        if (!page) {
          const html = opts.env.render(template, {
            cspNonce: NONCE_SLOT,
            csrfToken: CSRF_SLOT,
            principal: request.principal,
            currentPath,
            ...context,
          });
          page = { parts: html.split(new RegExp(`(${NONCE_SLOT}|${CSRF_SLOT})`)), needsCsrf: html.includes(CSRF_SLOT) };
          staticPages.set(key, page);
        }
        const csrf = page.needsCsrf ? request.csrfToken(this) : '';
        return this.send(
          page.parts.map((part) => (part === NONCE_SLOT ? nonce : part === CSRF_SLOT ? csrf : part)).join(''),
        );
      }
      return this.send(
        opts.env.render(template, {
          cspNonce: nonce,
          csrfToken: request.csrfToken(this),
          principal: request.principal,
          currentPath,
          ...context,
        }),
      );
    },
  );
});
