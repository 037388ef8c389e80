// Writing a file so that a reader, a killed process or a full disk sees its old content or its new one, never a
// part: the text goes to a temporary file beside it, which is then renamed over it (a rename within one folder is
// atomic). The one way charter writes its artifacts and caches; it sits in load/, the lowest folder every writer
// (adapters, artifacts, pipeline) may import.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Names of temporary files: `.manifest.json.<pid>.<n>.charter-tmp`; one left by a crash is removed by `clean`. */
export const TEMP_SUFFIX = '.charter-tmp';
let sequence = 0;

export interface AtomicWriteOptions {
  /** fsync before the rename, so a power cut cannot leave an empty file either; off for files rebuilt at will. */
  readonly durable?: boolean;
}

export function writeFileAtomic(file: string, data: string | Uint8Array, { durable = true }: AtomicWriteOptions = {}): void {
  // A device or a pipe (`--junit /dev/stdout`) cannot be replaced by a rename: write to it as it is.
  if (!replaceable(file)) {
    try {
      writeFileSync(file, data);
    } catch (e) {
      throw errorAt(e, file);
    }
    return;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++sequence}${TEMP_SUFFIX}`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    writeFileSync(fd, data);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    rmSync(temp, { force: true });
    throw errorAt(e, file);
  }
}

/**
 * A file system error that names `file`: a failed write(2) names no path at all, and the temporary file's name
 * means nothing to the user. Other errors pass through as they are.
 */
export function errorAt(e: unknown, file: string): unknown {
  const errno = e as Partial<NodeJS.ErrnoException>;
  if (!(e instanceof Error) || typeof errno.code !== 'string') return e;
  return Object.assign(new Error(`${errno.code}: cannot ${errno.syscall ?? 'write'} ${file}`, { cause: e }), {
    code: errno.code,
    errno: errno.errno,
    syscall: errno.syscall ?? 'write',
    path: file,
  });
}

function replaceable(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return true;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The write already failed; its error is the one to report.
  }
}
