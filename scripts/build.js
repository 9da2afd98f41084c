// Compiles src/ into dist/ with tsc (tsconfig.build.json), then copies every other file under src/
// (Nunjucks templates, stylesheets read at run time) beside the compiled modules, so dist/ runs on its
// own. Plain JavaScript: bin/liaison.js imports it, and tsx is not installed where only the
// dependencies are.
//   node scripts/build.js             build now (npm run build)
//   node scripts/build.js --if-stale  build only when a source is newer than the last build
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stampFile = '.built';
// Beside dist/ (same depth, so the source maps' relative paths stay right), named .dist-*.
const lock = path.join(root, '.dist-lock');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
/** What a build is made from: a change to any of these (or a file added, moved or deleted) means rebuild. */
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.js'];

/** Newest modification time under the inputs; directories count, so a deleted or moved file does too. */
function newestInput() {
  let newest = 0;
  const visit = (file) => {
    const stat = fs.statSync(file);
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of fs.readdirSync(file)) {
      if (!entry.endsWith('.test.ts')) visit(path.join(file, entry));
    }
  };
  for (const input of inputs) visit(path.join(root, input));
  return newest;
}

const NOT_BUILT = 'dist/ has not been built';

/** Why dist/ cannot be used as it is, or undefined when it is up to date. */
export function staleReason() {
  let startedAt;
  try {
    startedAt = JSON.parse(fs.readFileSync(path.join(dist, stampFile), 'utf8')).startedAt;
  } catch {
    return NOT_BUILT;
  }
  // The stamp holds when the build began, so a source saved while tsc was running is newer than it.
  return newestInput() > startedAt ? 'a source is newer than dist/' : undefined;
}

/** Builds into a fresh folder and only then puts it in dist/'s place: nobody runs half a build. */
export function build() {
  if (!fs.existsSync(tsc)) {
    throw new Error(
      'dist/ is missing or out of date, and TypeScript is not installed to build it (was `npm ci --omit=dev` used?). Run `npm ci && npm run build` first.',
    );
  }
  const startedAt = Date.now();
  const next = path.join(root, `.dist-next-${process.pid}`);
  fs.rmSync(next, { recursive: true, force: true });
  try {
    const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], {
      cwd: root,
      encoding: 'utf8',
    });
    if (compiled.status !== 0) {
      throw new Error(`The TypeScript build failed:\n${compiled.stdout}${compiled.stderr}${compiled.error ?? ''}`);
    }
    fs.cpSync(path.join(root, 'src'), next, {
      recursive: true,
      filter: (from) => !from.endsWith('.ts') || fs.statSync(from).isDirectory(),
    });
    fs.writeFileSync(path.join(next, stampFile), `${JSON.stringify({ startedAt })}\n`);
    const old = path.join(root, `.dist-old-${process.pid}`);
    if (fs.existsSync(dist)) fs.renameSync(dist, old);
    fs.renameSync(next, dist);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Holds the build lock (a directory: creating one is atomic) while `work` runs; waits for another holder. */
function withLock(work) {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder;
    try {
      holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      // just created, its pid not written yet
    }
    if (holder && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`Gave up waiting for another build to finish (${lock}).`);
    else sleep(200);
  }
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    return work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Builds dist/ unless it is up to date; when several processes start at once, one builds and the rest
 * wait. With `rebuild: false` it only insists that there is a build, however old.
 */
export function ensureBuilt({ rebuild = true } = {}) {
  if (!rebuild) {
    if (!fs.existsSync(path.join(dist, stampFile))) throw new Error(`${NOT_BUILT}: run \`npm run build\` first.`);
    return;
  }
  if (!staleReason()) return;
  try {
    withLock(() => {
      if (!staleReason()) return;
      process.stderr.write('Building…\n');
      build();
    });
  } catch (error) {
    if (!['EACCES', 'EPERM', 'EROFS'].includes(error.code)) throw error;
    throw new Error(
      `dist/ is missing or out of date, and this user cannot write it (${error.message}): run \`npm run build\` as one who can.`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale')) ensureBuilt();
    else withLock(build);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
