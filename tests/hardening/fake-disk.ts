// A file system that fails on demand, for tests that mock node:fs (and node:fs/promises) with it: writes to a
// matching path stop half way with ENOSPC (as a disk that fills up does), opens of a matching path fail with EACCES.
// Only charter's own modules see it; the rest of the process keeps the real file system.
type Fs = typeof import('node:fs');
type FsPromises = typeof import('node:fs/promises');

export const disk = {
  /** Writes to a path that matches fail half way: ENOSPC. */
  full: undefined as RegExp | undefined,
  /** Opening or writing a path that matches is refused: EACCES. */
  denied: undefined as RegExp | undefined,
  reset(): void {
    this.full = undefined;
    this.denied = undefined;
  },
};

const errno = (code: 'ENOSPC' | 'EACCES', syscall: string, file?: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${code === 'ENOSPC' ? 'no space left on device' : 'permission denied'}, ${syscall}${file ? ` '${file}'` : ''}`), {
    code,
    errno: code === 'ENOSPC' ? -28 : -13,
    syscall,
    ...(file ? { path: file } : {}),
  });

const half = (data: unknown): unknown => (typeof data === 'string' ? data.slice(0, data.length >> 1) : data instanceof Uint8Array ? data.subarray(0, data.length >> 1) : data);
const nameOf = (file: unknown): string => (typeof file === 'string' ? file : file instanceof URL ? file.pathname : String(file));

export function fakeFs(fs: Fs): Fs {
  const names = new Map<number, string>();
  const pathOf = (target: unknown): string => (typeof target === 'number' ? (names.get(target) ?? '') : nameOf(target));
  const openSync = ((file: unknown, ...rest: unknown[]) => {
    if (disk.denied?.test(nameOf(file))) throw errno('EACCES', 'open', nameOf(file));
    const fd = (fs.openSync as (...a: unknown[]) => number)(file, ...rest);
    names.set(fd, nameOf(file));
    return fd;
  }) as Fs['openSync'];
  const writeFileSync = ((target: unknown, data: unknown, ...rest: unknown[]) => {
    const file = pathOf(target);
    if (typeof target !== 'number' && disk.denied?.test(file)) throw errno('EACCES', 'open', file);
    if (disk.full?.test(file)) {
      (fs.writeFileSync as (...a: unknown[]) => void)(target, half(data), ...rest);
      throw errno('ENOSPC', 'write', typeof target === 'number' ? undefined : file);
    }
    return (fs.writeFileSync as (...a: unknown[]) => void)(target, data, ...rest);
  }) as Fs['writeFileSync'];
  const writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    if (disk.full?.test(pathOf(fd))) throw errno('ENOSPC', 'write');
    return (fs.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as Fs['writeSync'];
  const overrides = { openSync, writeFileSync, writeSync };
  return { ...fs, ...overrides, default: { ...fs, ...overrides } } as Fs;
}

export function fakeFsPromises(fsp: FsPromises): FsPromises {
  const writeFile = (async (target: unknown, data: unknown, ...rest: unknown[]) => {
    const file = nameOf(target);
    if (disk.denied?.test(file)) throw errno('EACCES', 'open', file);
    if (disk.full?.test(file)) {
      await (fsp.writeFile as (...a: unknown[]) => Promise<void>)(target, half(data), ...rest);
      throw errno('ENOSPC', 'write');
    }
    return (fsp.writeFile as (...a: unknown[]) => Promise<void>)(target, data, ...rest);
  }) as FsPromises['writeFile'];
  return { ...fsp, writeFile, default: { ...fsp, writeFile } } as FsPromises;
}
