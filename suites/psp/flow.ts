// The flow of a PSP scenario after the wire checks (judgeWire in wire.ts): apart so that the shared
// checks of lib.ts can take a Flow without importing wire.ts back.
import type { JournalEntry } from '../../src/core/journal.js';
import type { CheckInput } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import type { Said } from '../../src/core/text.js';

/**
 * The later steps of a flow: recorded as checks, or NOT_EXERCISED when the Nodo refused an earlier
 * request of the PSP for a defect already judged (wrong password, schema-invalid request).
 */
export class Flow {
  constructor(
    readonly t: PspContext,
    readonly stopped?: Said,
  ) {}
  check(c: CheckInput): boolean {
    if (this.stopped) {
      this.t.notExercised(c.id, this.stopped, c.entries);
      return true;
    }
    return this.t.check(c);
  }
  /** A check whose subject did not occur, with the reason (the earlier stop wins). */
  skip(id: string, reason: Said, entries: (JournalEntry | undefined)[] = []): void {
    this.t.notExercised(id, this.stopped ?? reason, entries);
  }
}
