// Failures of the machine charter runs on (a full disk, a permission, a missing folder), told apart from bugs in
// charter: the user can fix them, so each becomes an io.error diagnostic naming the path and the cause (the CLI exits
// 1, not 70). Beside atomic-file.ts: load/ is where charter meets the disk first, and every later stage imports it.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'something already exists there',
  ENOTEMPTY: 'the folder is not empty',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'the file or device is busy',
  ETXTBSY: 'the file is busy',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
};

const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  fsync: 'write',
  close: 'write',
  mkdir: 'create the folder',
  rename: 'replace',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  access: 'access',
  copyfile: 'copy',
};

const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'free some space on that disk and run again',
  EDQUOT: 'free some space within your quota and run again',
  EACCES: 'check the permissions of the file and its folders, or run as a user who may write there',
  EPERM: 'check the permissions of the file and its folders, or run as a user who may write there',
  EROFS: 'run from a writable copy of the project',
};

/** The diagnostic for an error of the environment, at `location` if given; undefined for anything else (a bug in charter). */
export function ioProblem(e: unknown, location?: SourceLocation): Diagnostic | undefined {
  const errno = e as (Partial<NodeJS.ErrnoException> & { dest?: string }) | undefined;
  if (errno && typeof errno.code === 'string' && CAUSES[errno.code] && typeof errno.syscall === 'string') {
    const code = errno.code;
    const where = errno.dest ?? errno.path ?? 'a file';
    return error('io.error', `cannot ${VERBS[errno.syscall] ?? errno.syscall} ${where}: ${CAUSES[code]} (${code})`, { location, hint: HINTS[code] });
  }
  // DuckDB reports its own file I/O failures (a full disk under the database, its WAL or its spill files) by message.
  if (e instanceof Error && /^IO Error:/.test(e.message)) {
    return error('io.error', `the database could not read or write a file: ${e.message.replace(/^IO Error:\s*/, '').split('\n')[0]}`, {
      hint: 'check the free space and permissions of the database file\'s folder',
    });
  }
  return undefined;
}
