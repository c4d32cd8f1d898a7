// `collaudo serve` as a child process for the real-clock tests: what it prints on stderr tells where
// each reference part listens.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Resolves with the first match of `re` in the child's stderr (and all it printed); rejects at the deadline or if it exits. */
export function waitForLine(p: ChildProcessWithoutNullStreams, re: RegExp, deadlineMs: number): Promise<RegExpMatchArray & { printed: string }> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${deadlineMs} ms:\n${seen}`)), deadlineMs);
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = re.exec(seen);
      if (m) done(undefined, Object.assign(m, { printed: seen }));
    };
    const onExit = (code: number | null) => done(new Error(`collaudo serve exited (${code}) before it listened:\n${seen}`));
    const done = (e?: Error, m?: RegExpMatchArray & { printed: string }) => {
      clearTimeout(timer);
      p.stderr.off('data', onData);
      p.off('exit', onExit);
      if (e) reject(e);
      else resolve(m!);
    };
    p.stderr.on('data', onData);
    p.on('exit', onExit);
  });
}

/** Stops a served child with SIGTERM and waits for its exit (nothing to do when it is gone already). */
export async function stopServe(p: ChildProcessWithoutNullStreams | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}
