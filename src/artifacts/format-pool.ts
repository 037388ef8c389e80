// Formats many SQL texts: in worker threads when there are enough to repay their start-up.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const WORKER_THRESHOLD = 400;
const BATCH = 100;

export async function formatAll(sqls: readonly string[]): Promise<string[]> {
  const workerFile = fileURLToPath(new URL('./format-worker.js', import.meta.url));
  const workers = Math.min(availableParallelism(), 4, Math.ceil(sqls.length / WORKER_THRESHOLD));
  // Under a TypeScript test runner the .js worker does not exist: format inline.
  if (!sqls.length) return [];
  if (workers < 2 || !existsSync(workerFile)) {
    const { formatSql } = await import('./format-sql.js');
    return sqls.map(formatSql);
  }
  const out = new Array<string>(sqls.length);
  let next = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerFile);
      const send = (): void => {
        if (next >= sqls.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const id = next;
        next += BATCH;
        worker.postMessage({ id, sqls: sqls.slice(id, id + BATCH) });
      };
      worker.on('message', ({ id, formatted }: { id: number; formatted: string[] }) => {
        formatted.forEach((text, i) => (out[id + i] = text));
        send();
      });
      worker.on('error', reject);
      send();
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return out;
}
