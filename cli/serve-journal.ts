// The journal of a long-running `collaudo serve`: a ring of the last N entries (memory stays bounded
// however long the session runs) and a summary line per interval on stderr instead of one line per
// message (--verbose brings those back).
import type { Clock } from '../src/core/clock.js';
import { Journal, type JournalEntry } from '../src/core/journal.js';

export const DEFAULT_JOURNAL_SIZE = 1000;
export const DEFAULT_SUMMARY_MS = 10_000;

export interface SessionJournalOptions {
  /** entries kept (the oldest are dropped first) */
  size?: number;
  /** one stderr line per message */
  verbose?: boolean;
  /** interval of the summary line (ms); 0 = none */
  summaryMs?: number;
  out?: (line: string) => void;
}

export class SessionJournal extends Journal {
  readonly size: number;
  private total = 0;
  private readonly out: (line: string) => void;
  private timer?: NodeJS.Timeout;
  // counts since the last summary line
  private requests = 0;
  private errors = 0;
  private byPrimitive = new Map<string, number>();

  constructor(clock: Clock, private readonly o: SessionJournalOptions = {}) {
    super(clock);
    this.size = Math.max(1, o.size ?? DEFAULT_JOURNAL_SIZE);
    this.out = o.out ?? ((l) => process.stderr.write(l + '\n'));
    const every = o.summaryMs ?? DEFAULT_SUMMARY_MS;
    if (every > 0) {
      this.timer = setInterval(() => this.summary(), every);
      this.timer.unref();
    }
  }

  override record(e: Omit<JournalEntry, 'seq' | 'at'> & { at?: number }): JournalEntry {
    const r = super.record(e);
    // seq counts every entry of the session, also those the ring dropped
    r.seq = ++this.total;
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
    if (r.direction === 'request') {
      this.requests++;
      const k = r.primitive ?? (r.url ? r.url.split('?')[0]! : '?');
      this.byPrimitive.set(k, (this.byPrimitive.get(k) ?? 0) + 1);
    } else if ((r.httpStatus ?? 200) >= 400 || r.transport || /<outcome>KO<\/outcome>|:Fault>/.test(r.raw.slice(0, 4000))) this.errors++;
    if (this.o.verbose) this.out(entryLine(r));
    return r;
  }

  /** Entries recorded since the session began (the ring holds the last `size`). */
  get recorded(): number {
    return this.total;
  }

  /** Writes the summary line of the interval, if anything happened in it. */
  summary(): string | undefined {
    if (!this.requests && !this.errors) return undefined;
    const prims = [...this.byPrimitive.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    const line = `${new Date().toISOString()} ${this.requests} request(s): ${prims || '-'}; ${this.errors} error/KO answer(s); journal keeps ${this.entries.length} of ${this.total} entries`;
    this.requests = 0;
    this.errors = 0;
    this.byPrimitive = new Map();
    this.out(line);
    return line;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.summary();
  }
}

export function entryLine(r: JournalEntry): string {
  return `${new Date(r.at).toISOString()} ${r.direction === 'request' ? '→' : '←'} ${r.from} → ${r.to} ${r.primitive ?? '?'}${r.httpStatus ? ` HTTP ${r.httpStatus}` : ''}${r.transport ? ` ${r.transport}` : ''}${r.xsd && !r.xsd.valid ? ' XSD-INVALID' : ''}`;
}
