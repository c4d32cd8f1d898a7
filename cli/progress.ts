// Progress on stderr: one line per scenario; colours only on a TTY (plain lines in CI logs).
import type { ScenarioResult, Verdict } from '../src/core/model.js';

const COLOUR: Record<Verdict, string> = {
  PASS: '\x1b[32m', WARNING: '\x1b[33m', FAIL: '\x1b[31m', INCONCLUSIVE: '\x1b[35m', NOT_APPLICABLE: '\x1b[90m', ERROR: '\x1b[41;97m',
};
const MARK: Record<Verdict, string> = { PASS: '✔', WARNING: '⚠', FAIL: '✖', INCONCLUSIVE: '?', NOT_APPLICABLE: '–', ERROR: '!' };

export class Progress {
  constructor(private stream: NodeJS.WriteStream = process.stderr, private quiet = false) {}
  private get tty(): boolean {
    return !!this.stream.isTTY && !process.env.NO_COLOR;
  }
  paint(v: Verdict, s: string): string {
    return this.tty ? `${COLOUR[v]}${s}\x1b[0m` : s;
  }
  line(s: string): void {
    if (!this.quiet) this.stream.write(s + '\n');
  }
  result(r: ScenarioResult, done: number, total: number): void {
    const n = total ? `[${String(done).padStart(String(total).length)}/${total}]` : `[${done}]`;
    const why = r.verdict === 'PASS' ? '' : ` — ${r.reason ?? r.checks.filter((c) => c.verdict !== 'PASS' && c.verdict !== 'NOT_EXERCISED').map((c) => `${c.requirements.join(', ')}: ${c.message}`)[0] ?? ''}`;
    this.line(`${n} ${this.paint(r.verdict, `${MARK[r.verdict]} ${r.verdict.padEnd(14)}`)} ${r.id} ${r.title} (${r.durationMs} ms)${why}`);
  }
}
