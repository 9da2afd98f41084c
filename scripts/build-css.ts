// Compiles src/assets/app.scss into public/app.css (committed, so the server
// needs no build step). Run after changing styles: npm run build:css
import fs from 'node:fs';
import path from 'node:path';
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
