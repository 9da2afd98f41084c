import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Sent by public/app.js with a form it posts itself, so the page can move on with location.replace. */
export const REPLACE_NAVIGATION_HEADER = 'x-liaison-navigation';
/** Where the redirect would have gone, readable by the page's script. */
export const NEXT_LOCATION_HEADER = 'x-liaison-location';

/**
 * On public pages every move replaces the tab's history entry, so Back after
 * leaving never returns to this site. A form the script posts with fetch cannot
 * see a redirect's Location (nor its #fragment), and following it inside fetch
 * would load the next page unseen and then again; so for those requests a
 * redirect is answered 204 with the address in a header, and the script opens it
 * with location.replace. A cross-site page cannot send this header (it would need
 * a CORS preflight we never grant), and nothing else about the answer changes.
 */
export const replaceNavigation = fp(async function replaceNavigation(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.headers[REPLACE_NAVIGATION_HEADER] !== 'replace') return payload;
    const location = reply.getHeader('location');
    if (reply.statusCode < 300 || reply.statusCode > 399 || typeof location !== 'string') return payload;
    reply.removeHeader('location');
    reply.header(NEXT_LOCATION_HEADER, location);
    reply.code(204);
    return null;
  });
});
