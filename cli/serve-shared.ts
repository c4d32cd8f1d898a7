// What both serve commands (`serve` and `serve --seat psp`) share: listening with a usage error and
// the session journal. Apart from serve.ts so that serve-psp.ts does not import it back (no cycle).
import type { Clock } from '../src/core/clock.js';
import { DEFAULT_JOURNAL_SIZE, DEFAULT_SUMMARY_MS, SessionJournal } from './serve-journal.js';
import { UsageError } from './errors.js';

/** A server that could not listen: a one-line usage error (exit 2), after closing what was opened. */
export async function listenOrUsage<T>(what: string, start: () => Promise<T>, opened: (() => Promise<void>)[]): Promise<T> {
  try {
    return await start();
  } catch (e) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EADDRNOTAVAIL' ? 'the address is not available here' : err.message.split('\n')[0];
    throw Object.assign(new UsageError(`${what}: cannot listen (${why})`), { exitNow: true });
  }
}

/** The session journal of `serve` (bounded ring, summary lines unless verbose). */
export function sessionJournal(clock: Clock, o: { verbose?: boolean; journalSize?: number; summaryMs?: number }): SessionJournal {
  if (o.journalSize !== undefined && (!Number.isInteger(o.journalSize) || o.journalSize < 1)) {
    throw Object.assign(new UsageError(`--journal-size ${o.journalSize}: a positive integer is needed`), { exitNow: true });
  }
  return new SessionJournal(clock, { size: o.journalSize ?? DEFAULT_JOURNAL_SIZE, verbose: o.verbose, summaryMs: o.summaryMs ?? DEFAULT_SUMMARY_MS });
}
