// Progressive enhancement for code forms during a guessing spike: solves the page's small
// proof-of-work puzzle (the ALTCHA SHA-256 scheme: find n with SHA-256(salt + n) = challenge)
// with the browser's own crypto.subtle, then sends the form with the answer. Nothing leaves
// this site. Without JavaScript, or without crypto.subtle, the form still works after a wait.
const box = document.querySelector('[data-proof-of-work]');
const form = box && box.closest('form');
if (form && window.crypto && window.crypto.subtle) {
  const status = box.querySelector('[data-proof-of-work-status]');
  let solving = false;
  form.addEventListener('submit', async (event) => {
    if (form.querySelector('input[name="pow"]')) return;
    event.preventDefault();
    if (solving) return;
    solving = true;
    if (status) status.textContent = 'Checking. This takes a few seconds.';
    const number = await solve(box.dataset.challenge, box.dataset.salt, Number(box.dataset.max));
    if (number !== undefined) {
      const answer = document.createElement('input');
      answer.type = 'hidden';
      answer.name = 'pow';
      answer.value = String(number);
      form.append(answer);
    }
    form.submit();
  });
}

const encoder = new TextEncoder();
const BATCH = 500;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function solve(challenge, salt, max) {
  if (!challenge || !salt || !(max > 0)) return undefined;
  // Hash in batches: crypto.subtle works in parallel, and the page stays responsive.
  for (let start = 0; start <= max; start += BATCH) {
    const numbers = Array.from({ length: Math.min(BATCH, max - start + 1) }, (_, i) => start + i);
    const digests = await Promise.all(numbers.map((n) => crypto.subtle.digest('SHA-256', encoder.encode(salt + n))));
    const found = digests.findIndex((digest) => hex(digest) === challenge);
    if (found !== -1) return numbers[found];
  }
  return undefined;
}
