// Small measuring helpers for the bench: monotonic time, percentiles, summaries.

/** Monotonic time in nanoseconds. */
export const nowNs = (): bigint => process.hrtime.bigint();
/** Milliseconds elapsed since `t0` (from nowNs). */
export const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

export interface Summary {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    mean: s.length ? sum / s.length : NaN,
    min: s[0] ?? NaN,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
  };
}

/** Runs `fn` `warmup` times untimed, then `iterations` times, returning each call's duration in ms. */
export async function timeAsync(fn: () => Promise<void>, warmup: number, iterations: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = new Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t0 = nowNs();
    await fn();
    out[i] = msSince(t0);
  }
  return out;
}

/**
 * Synchronous micro-benchmark: `batches` timed batches of `perBatch` calls after `warmup` calls;
 * returns the per-call cost of each batch in microseconds (batching hides the timer's own cost).
 */
export function timeSyncUs(fn: () => void, warmup: number, batches: number, perBatch: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = nowNs();
    for (let i = 0; i < perBatch; i++) fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e3 / perBatch);
  }
  return out;
}

export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** A plain fixed-width text table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
