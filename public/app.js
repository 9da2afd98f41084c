// Progressive enhancement only: every page works without this file.

const exitRoot = document.querySelector('[data-module="liaison-exit-this-page"]');
const exitLink = exitRoot && exitRoot.querySelector('[data-exit-link]');
let leaving = false;
let titleBeforeLeaving = document.title;
/** A form is on its way (a second press of its button must not send it twice). */
let sending = false;
/** GOV.UK Frontend's module, once loaded. */
let govuk = null;

// "Leave this site": the button is a plain link to /leave, which clears this site's
// cookies and storage and redirects away. Here the page is hidden at once behind
// GOV.UK's overlay, and location.replace swaps this page's history entry for the
// next site, so Back does not return here.
function leave(event, announcement = 'Loading.') {
  if (event) event.preventDefault();
  if (leaving) return;
  leaving = true;
  titleBeforeLeaving = document.title;
  document.title = '';
  const overlay = document.createElement('div');
  overlay.className = 'govuk-exit-this-page-overlay';
  overlay.setAttribute('role', 'alert');
  overlay.textContent = announcement;
  document.body.classList.add('govuk-exit-this-page-hide-content');
  document.body.appendChild(overlay);
  window.location.replace(exitLink.href);
}

// The site promises "press Escape to leave"; Shift three times in a row is
// GOV.UK's Exit This Page component (started below), which counts only Shift
// presses with no other key between them, so typing capitals never leaves.
// The button leaves this way even before GOV.UK's script has loaded (or if it fails to).
if (exitLink) {
  exitLink.addEventListener('click', leave);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') leave(event);
  });
  // A page restored from the back-forward cache comes back usable, not blank.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    leaving = false;
    sending = false;
    document.title = titleBeforeLeaving;
    document.body.classList.remove('govuk-exit-this-page-hide-content');
    for (const overlay of document.querySelectorAll('.govuk-exit-this-page-overlay')) overlay.remove();
  });
}

// A page loaded again at a #fragment after a form (see moveTo) jumps there, as a
// fresh load would, rather than keeping the scroll position it had before. (The
// setting stays 'manual' for this entry: set back now, the browser would still
// restore the old position after this.)
if (window.history.scrollRestoration === 'manual') {
  const target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  if (target) target.scrollIntoView();
}

// Back after leaving must never return to this site, so on public pages (those
// with the exit button) moving between pages replaces the current history entry
// instead of adding one: the tab holds at most one entry of this site.
const sameOrigin = (url) => url.origin === window.location.origin && /^https?:$/.test(url.protocol);

if (exitLink) {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    const url = new URL(link.href);
    if (!sameOrigin(url)) return;
    event.preventDefault();
    window.location.replace(url.href);
  });
  document.addEventListener('submit', submitInPlace);
}

/**
 * Sends a form without adding a history entry. GET forms become location.replace
 * to the address they would have opened. POST forms are sent with fetch and the
 * header below, which makes the server answer a redirect with its address in
 * x-liaison-location instead (fetch would hide it and its #fragment, and following
 * it inside fetch would load the next page twice); any other answer (a form with
 * errors, a receipt) is shown in place of this page. Nothing typed is touched until
 * an answer arrives; if fetch fails, the form is sent the ordinary way.
 */
function submitInPlace(event) {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.dataset.liaisonNative) return;
  const submitter = event.submitter;
  const method = ((submitter && submitter.getAttribute('formmethod')) || form.method).toLowerCase();
  const target = (submitter && submitter.getAttribute('formtarget')) || form.target;
  const action = new URL((submitter && submitter.getAttribute('formaction')) || form.action, document.baseURI);
  if (!sameOrigin(action) || (target && target !== '_self') || (method !== 'get' && method !== 'post')) return;
  event.preventDefault();
  if (sending) return;
  const data = formData(form, submitter);
  if (method === 'get') {
    action.search = new URLSearchParams(data).toString();
    window.location.replace(action.href);
    return;
  }
  sending = true;
  const enctype = (submitter && submitter.getAttribute('formenctype')) || form.enctype;
  const body = enctype === 'multipart/form-data' ? data : new URLSearchParams(data);
  const sendAsTheBrowserWould = () => {
    // The request never got an answer (offline, a dropped connection): send it the ordinary way.
    sending = false;
    form.dataset.liaisonNative = 'true';
    if (form.requestSubmit) form.requestSubmit(submitter || undefined);
    else form.submit();
  };
  fetch(action.href, { method: 'POST', body, credentials: 'same-origin', headers: { 'x-liaison-navigation': 'replace' } }).then(
    async (response) => {
      try {
        const next = response.headers.get('x-liaison-location');
        if (next) return moveTo(new URL(next, action));
        if (!/^text\/html\b/.test(response.headers.get('content-type') || '')) throw new Error('not a page');
        showPage(await response.text(), response.url);
        sending = false;
      } catch {
        // The server did answer, so sending again could do it twice: open the page it answered from.
        window.location.replace(response.url);
      }
    },
    sendAsTheBrowserWould,
  );
}

/** Opens the next page in place of this one, even when only its #fragment differs. */
function moveTo(url) {
  const here = new URL(window.location.href);
  if (url.hash && url.origin === here.origin && url.pathname === here.pathname && url.search === here.search) {
    // Replacing with such an address would only scroll, not load the page again
    // (a message just sent would not be there): load it afresh at that fragment.
    window.history.replaceState(null, '', url.href);
    window.history.scrollRestoration = 'manual';
    window.location.reload();
    return;
  }
  window.location.replace(url.href);
}

function formData(form, submitter) {
  try {
    return new FormData(form, submitter || undefined);
  } catch {
    // Browsers without FormData's submitter argument: add the button's own value.
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return data;
  }
}

/**
 * Shows a page the server answered a form with, as the browser would have, in
 * place of this one: same title, body and address. The exit button stays (it
 * holds the keyboard listener); scripts in the answer are not run, the GOV.UK
 * components in it are started instead.
 */
function showPage(html, url) {
  const next = new DOMParser().parseFromString(html, 'text/html');
  for (const script of next.querySelectorAll('script')) script.remove();
  const nodes = [...next.body.childNodes];
  const incomingExit = next.body.querySelector('[data-module="liaison-exit-this-page"]');
  if (incomingExit && exitRoot && nodes.includes(incomingExit)) nodes[nodes.indexOf(incomingExit)] = exitRoot;
  document.title = next.title;
  document.body.replaceChildren(...nodes);
  window.history.replaceState(null, '', url);
  window.scrollTo(0, 0);
  if (govuk) govuk.initAll();
  // As after a page load, a screen reader starts from the new page: its error summary
  // (focused by GOV.UK's script) or else its heading.
  if (!document.activeElement || document.activeElement === document.body) {
    const heading = document.querySelector('main h1') || document.querySelector('main');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }
}

import('/assets/govuk/govuk-frontend.min.js')
  .then((module) => {
    govuk = module;
    if (exitRoot) {
      // GOV.UK's own Exit This Page (button, Shift three times, indicator, overlay),
      // leaving with location.replace rather than adding a history entry.
      class LeaveThisSite extends module.ExitThisPage {
        static moduleName = 'liaison-exit-this-page';
        exitPage() {
          leave(undefined, this.i18n.t('activated'));
        }
      }
      module.createAll(LeaveThisSite);
    }
    module.initAll();
  })
  .catch(() => {
    // Without GOV.UK's script the button and Escape still leave (see above).
  });
