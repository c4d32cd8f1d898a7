// The injected clock. Real time only for `collaudo run` against an external candidate; the
// reference parts in demo, mutants and self-tests share a VirtualClock, where waiting is an
// explicit advance, so a retry schedule of minutes runs in microseconds and nothing flakes.
export interface Clock {
  readonly virtual: boolean;
  /** epoch milliseconds */
  now(): number;
  /** waits `ms` of this clock's time; rejects with the signal's reason when aborted */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Simulated lateness: on a virtual clock the time moves forward at once; on the real clock
   * this is a real wait. Used by reference parts to "answer late".
   */
  spend(ms: number, signal?: AbortSignal): Promise<void>;
}

export class RealClock implements Clock {
  readonly virtual = false;
  now(): number {
    return Date.now();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  spend(ms: number, signal?: AbortSignal): Promise<void> {
    return this.sleep(ms, signal);
  }
}

/**
 * Virtual time: starts at a fixed instant and moves only when someone sleeps or spends.
 * One VirtualClock is shared by the parts of one vitest worker, whose scenarios run one after
 * the other, so an advance never disturbs another scenario's measurement.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private t: number;
  constructor(start = Date.parse('2026-11-23T09:00:00.000Z')) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.advance(ms);
    // yield one macrotask so that I/O started before the sleep can progress
    await new Promise<void>((r) => setImmediate(r));
  }
  spend(ms: number, signal?: AbortSignal): Promise<void> {
    return this.sleep(ms, signal);
  }
}

export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
}
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Waits for `promise` at most `ms` real milliseconds; a real deadline, never a fixed sleep. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what}: nothing happened within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
export class DeadlineError extends Error {}
