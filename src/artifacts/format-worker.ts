// Worker thread for format-pool: formats batches of SQL so a cold compile uses every core.
import { parentPort } from 'node:worker_threads';
import { formatSql } from './format-sql.js';

parentPort?.on('message', (batch: { id: number; sqls: string[] }) => {
  parentPort?.postMessage({ id: batch.id, formatted: batch.sqls.map(formatSql) });
});
