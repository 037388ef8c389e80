// Vitest global setup: every temporary project of a test run goes in one folder of its own (TMPDIR, which os.tmpdir()
// and the charter processes the tests start both read), removed when the run ends. Tests need not clean up after
// themselves, and a run leaves nothing in the machine's /tmp.
import { spawn } from 'node:child_process';
import { mkdtempSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  // Vitest runs global setup once per project: the first call makes the folder, the others share it.
  if (process.env['CHARTER_TEST_ROOT']) return () => undefined;
  const root = mkdtempSync(path.join(fastTempBase(), 'charter-tests-'));
  process.env['TMPDIR'] = root;
  process.env['CHARTER_TEST_ROOT'] = root;
  return () => {
    // Hundreds of projects take seconds to delete: a process of its own does it, and the run ends at once.
    spawn(process.execPath, ['-e', 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })', root], {
      detached: true,
      stdio: 'ignore',
    }).unref();
  };
}

/**
 * Memory-backed /dev/shm when the machine gives it room (a container's default 64 MB is not enough), else the usual
 * temporary folder. DuckDB fsyncs each commit and charter each artifact it publishes: on a disk that was a third of a
 * small build's time. The files are as real either way.
 */
function fastTempBase(): string {
  try {
    const shm = statfsSync('/dev/shm');
    if (shm.bavail * shm.bsize >= 2 ** 30) return '/dev/shm';
  } catch {
    // No /dev/shm (not Linux): the usual folder.
  }
  return tmpdir();
}
