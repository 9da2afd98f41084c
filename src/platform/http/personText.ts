import nunjucks from 'nunjucks';

/**
 * Control characters and invisible formatting characters (bidirectional
 * overrides and isolates, zero-width spaces and joiners, the byte-order mark,
 * line and paragraph separators), except tab and newlines, which the text may
 * legitimately hold.
 */
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** "⟨U+202E⟩" for each invisible character, so staff see what was stored rather than what it makes the text look like. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/**
 * Text someone wrote (a report, a message, a name), for staff and police
 * pages: escaped, its invisible characters shown, and isolated in
 * `<bdi dir="auto">` so right-to-left text neither reorders the page around
 * it nor can be made to read as something other than what was stored.
 */
export function personText(value: unknown): nunjucks.runtime.SafeString | string {
  if (value === null || value === undefined || value === '') return '';
  const text = typeof value === 'string' ? value : String(value);
  return new nunjucks.runtime.SafeString(`<bdi dir="auto">${escapeHtml(showInvisible(text))}</bdi>`);
}
