import { Worker } from 'node:worker_threads';

const WORKER = new URL('./sqliteBackupWorker.mjs', import.meta.url);

/**
 * Copies the SQLite database at `source` into `destination` (an existing,
 * empty file) with the online backup API, in a worker thread with its own
 * connection (see sqliteBackupWorker.mjs): one consistent snapshot, taken
 * while this process and any other keep reading and writing.
 */
export function sqliteBackup(source: string, destination: string): Promise<{ pages: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { source, destination } });
    let answered = false;
    worker.once('message', (result: { ok: boolean; pages?: number; message?: string; code?: string }) => {
      answered = true;
      if (result.ok) resolve({ pages: result.pages ?? 0 });
      else reject(Object.assign(new Error(`SQLite backup failed: ${result.message}`), { code: result.code }));
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`SQLite backup stopped (worker exit ${code})`));
    });
  });
}
