// A worker thread that asks for one URL at a steady rate (workerData.perSecond, over
// keep-alive connections) until told to stop, then posts every response time (ms) back: the site's latency while
// other work runs in the main thread. Plain JavaScript so it needs no loader.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

const { url, connections, perSecond } = workerData;
const gapMs = (1000 * connections) / perSecond;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const times = [];
let errors = 0;
let stopping = false;

function once() {
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) times.push(performance.now() - started);
        else errors += 1;
        resolve();
      });
    });
    request.on('error', () => {
      errors += 1;
      resolve();
    });
  });
}

// Each connection asks, then waits out the rest of its turn: a paced load, so a slow
// answer shows as latency instead of as fewer requests.
async function loop() {
  while (!stopping) {
    const started = performance.now();
    await once();
    const rest = gapMs - (performance.now() - started);
    if (rest > 0) await sleep(rest);
  }
}

const loops = Array.from({ length: connections }, loop);
parentPort.on('message', async () => {
  stopping = true;
  await Promise.all(loops);
  agent.destroy();
  parentPort.postMessage({ times, errors });
});
