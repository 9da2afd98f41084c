// Progressive enhancement only: every page works without this file.

// "Leave this site": the button is a plain link to /leave, which clears this
// site's cookies and storage and redirects away. Here we add the Escape key
// and Shift pressed three times, blank the page at once, and use
// location.replace so the Back button does not return to this page.
const exitLink = document.querySelector('[data-exit-link]');
if (exitLink) {
  const leave = (event) => {
    if (event) event.preventDefault();
    document.title = '';
    document.body.classList.add('liaison-exiting');
    window.location.replace(exitLink.href);
  };
  exitLink.addEventListener('click', leave);
  let shiftPresses = [];
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') return leave(event);
    if (event.key === 'Shift' && !event.repeat) {
      const now = Date.now();
      shiftPresses = shiftPresses.filter((at) => now - at < 2000).concat(now);
      if (shiftPresses.length >= 3) leave(event);
    }
  });
}

import('/assets/govuk/govuk-frontend.min.js').then(({ initAll }) => initAll()).catch(() => {});
