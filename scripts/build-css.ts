// Compiles src/assets/app.scss into public/app.css and pre-compresses the public
// assets (all committed, so the server needs no build step). Run after changing
// styles or public/app.js: npm run build:css
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = sass.compile(path.join(root, 'src/assets/app.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
fs.writeFileSync(path.join(root, 'public/app.css'), result.css);
console.log(`public/app.css: ${result.css.length} bytes`);

// Pre-compressed copies, served by @fastify/static to browsers that accept them.
for (const file of ['app.css', 'app.js', 'favicon.svg']) {
  const source = fs.readFileSync(path.join(root, 'public', file));
  const brotli = zlib.brotliCompressSync(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
  const gzip = zlib.gzipSync(source, { level: 9 });
  fs.writeFileSync(path.join(root, 'public', `${file}.br`), brotli);
  fs.writeFileSync(path.join(root, 'public', `${file}.gz`), gzip);
  console.log(`public/${file}: ${source.length} bytes, ${brotli.length} brotli, ${gzip.length} gzip`);
}
