import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'benchmarks.md');
const HEADER =
  '# Benchmarks\n\nFigures written by the `npm run bench:*` scripts; each script replaces its own section.\n';

/** Replaces (or adds) the "## title" section of docs/benchmarks.md with new figures. */
export function replaceSection(title: string, body: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  const heading = `## ${title}\n`;
  const section = `${heading}\n${body}\n`;
  const start = current.indexOf(heading);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const end = current.indexOf('\n## ', start + heading.length);
    next = `${current.slice(0, start)}${section}${end === -1 ? '' : current.slice(end + 1)}`;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}
