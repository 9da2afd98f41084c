import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';
import { describe, expect, it } from 'vitest';
import { compileStyles, PRECOMPRESSED } from '../../../scripts/build-css.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const publicDir = path.join(root, 'public');

// The server sends the .br/.gz copies to browsers that accept them, so a copy
// left stale after editing a source would ship old code to almost everyone.
describe('committed public assets', () => {
  it.each(PRECOMPRESSED)('%s has brotli and gzip copies identical to it (run npm run build:css)', (file) => {
    const source = fs.readFileSync(path.join(publicDir, file));
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(publicDir, `${file}.br`))).equals(source)).toBe(true);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(publicDir, `${file}.gz`))).equals(source)).toBe(true);
  });

  it('app.css is compiled from the current src/assets/app.scss (run npm run build:css)', () => {
    expect(compileStyles(sass)).toBe(fs.readFileSync(path.join(publicDir, 'app.css'), 'utf8'));
  });
});
