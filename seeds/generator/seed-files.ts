// The bytes of every seed file (data and config) for a dataset; writing them is left to the caller.

import { gzipSync } from 'node:zlib';
import { toCsv } from './csv.js';
import { type PhantomSecData, SEED_TABLES, rowsOf } from './generate.js';
import { seedConfigYaml } from './seed-config.js';

export interface SeedFileContent {
  /** File name inside the seeds directory. */
  readonly name: string;
  readonly bytes: Buffer;
}

/** gzip byte 9 is the OS that wrote the file: pinned to 3 (Unix) so the bytes match on every platform. */
const GZIP_OS_UNIX = 3;

/**
 * Deterministic gzip: zlib writes mtime 0 and no file name; the OS byte is pinned. (The deflate stream is
 * zlib's own: stable for a given zlib build; the uncompressed text is the portable guarantee.)
 */
export function deterministicGzip(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 9 });
  gz.writeUInt32LE(0, 4);
  gz[9] = GZIP_OS_UNIX;
  return gz;
}

export function renderSeedFiles(data: PhantomSecData): SeedFileContent[] {
  return SEED_TABLES.flatMap(({ key, table }) => {
    const csv = Buffer.from(toCsv(table, rowsOf(data, key)), 'utf8');
    return [
      table.gzip
        ? { name: `${table.name}.csv.gz`, bytes: deterministicGzip(csv) }
        : { name: `${table.name}.csv`, bytes: csv },
      { name: `${table.name}.yml`, bytes: Buffer.from(seedConfigYaml(table), 'utf8') },
    ];
  });
}
