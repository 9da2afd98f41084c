// Copies a SQLite database with the online backup API, in a worker thread so
// the process that asked (the server, for a scheduled backup) keeps serving.
// It reads through a connection of its own: the server's connection may be
// inside a transaction, when a backup step on it fails. All pages go in one
// step, under one read snapshot: in WAL mode writers carry on meanwhile, and a
// write between steps would restart a stepped copy, for ever on a busy server.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const ALL_PAGES = 0x7fffffff;

async function copy({ source, destination }) {
  const from = new Database(source, { fileMustExist: true });
  let copied;
  try {
    from.pragma('busy_timeout = 5000');
    copied = await from.backup(destination, { progress: () => ALL_PAGES });
  } finally {
    from.close();
  }
  // A step that could not start reports nothing to copy and "succeeds": check the copy is whole.
  const to = new Database(destination, { fileMustExist: true });
  try {
    // One self-contained file (no -wal beside it); the server turns WAL back on when it opens a restored copy.
    to.pragma('journal_mode = DELETE');
    const pages = to.pragma('page_count', { simple: true });
    if (!copied.totalPages || pages !== copied.totalPages)
      throw new Error(`the copy has ${pages} pages of ${copied.totalPages}`);
    to.prepare('select count(*) from kysely_migration').get();
    return { pages };
  } finally {
    to.close();
  }
}

copy(workerData).then(
  (result) => parentPort.postMessage({ ok: true, ...result }),
  (error) => parentPort.postMessage({ ok: false, message: String(error && error.message), code: error && error.code }),
);
