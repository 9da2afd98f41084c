// Compiles src/assets/app.scss into public/app.css and pre-compresses the public
// assets (all committed, so the server needs no build step). Run after changing
// styles or public/app.js: npm run build:css
// (src/features/public-site/publicAssets.test.ts fails when this was forgotten.)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The public files served with pre-compressed .br and .gz copies beside them. */
export const PRECOMPRESSED = ['app.css', 'app.js', 'favicon.svg', 'proof-of-work.js'];

/** The stylesheet as public/app.css should hold it. */
export function compileStyles(compiler: typeof import('sass')): string {
  return compiler.compile(path.join(root, 'src/assets/app.scss'), {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  }).css;
}

async function build(): Promise<void> {
  const css = compileStyles(await import('sass'));
  fs.writeFileSync(path.join(root, 'public/app.css'), css);
  console.log(`public/app.css: ${css.length} bytes`);

  // Pre-compressed copies, served by @fastify/static to browsers that accept them.
  for (const file of PRECOMPRESSED) {
    const source = fs.readFileSync(path.join(root, 'public', file));
    const brotli = zlib.brotliCompressSync(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gzip = zlib.gzipSync(source, { level: 9 });
    fs.writeFileSync(path.join(root, 'public', `${file}.br`), brotli);
    fs.writeFileSync(path.join(root, 'public', `${file}.gz`), gzip);
    console.log(`public/${file}: ${source.length} bytes, ${brotli.length} brotli, ${gzip.length} gzip`);
  }
}

// Run as a script (npm run build:css); imported by the test, it only exports.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build();
