// Ctrl-C during a warehouse command: the first one aborts the run (its running statements are cancelled in the
// warehouse, staged relations cleaned up, what finished kept on record); a second one quits at once.
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
