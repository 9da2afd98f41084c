import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser-like client over app.inject: keeps cookies, and posts forms with
 * the real CSRF token read from the page the form came from.
 */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();
  lastPage = '';
  /** The network address requests come from (default 127.0.0.1): set it to act as another visitor for per-address limits. */
  remoteAddress: string | undefined;

  /** `remoteAddress` as above; `extraHeaders` go with every request (e.g. X-Forwarded-For from a proxy). */
  constructor(
    private readonly app: FastifyInstance,
    remoteAddress?: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    this.remoteAddress = remoteAddress;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: { ...this.extraHeaders, ...headers, cookie: this.cookieHeader() },
      ...this.from(),
    });
    this.remember(response);
    if (response.headers['content-type']?.toString().startsWith('text/html')) this.lastPage = response.body;
    return response;
  }

  /** Posts a form, adding the CSRF token from `fromPage` (default: the last page fetched). */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    fromPage?: string,
  ): Promise<LightMyRequestResponse> {
    const page = fromPage ?? this.lastPage;
    const csrf = csrfTokenIn(page);
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ _csrf: csrf, ...fields })) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        ...this.extraHeaders,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.cookieHeader(),
      },
      payload: body.toString(),
      ...this.from(),
    });
    this.remember(response);
    if (response.headers['content-type']?.toString().startsWith('text/html')) this.lastPage = response.body;
    return response;
  }

  /** Follows a redirect response with a GET. */
  async follow(response: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = response.headers.location;
    if (!location) throw new Error(`Expected a redirect, got ${response.statusCode}`);
    return this.get(String(location));
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private from(): { remoteAddress?: string } {
    return this.remoteAddress ? { remoteAddress: this.remoteAddress } : {};
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): void {
    for (const c of response.cookies) {
      const expired =
        c.maxAge === 0 || (c.expires !== undefined && new Date(c.expires).getTime() <= Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}
