// Traffic no scenario owns (it reached the harness between scenarios, or after its scenario ended)
// leaves the vitest workers as files: each seat environment writes it into the folder the CLI names
// (COLLAUDO_UNATTRIBUTED_DIR), and the certificate keeps it (`unattributed`): nothing recorded is lost.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from '../src/core/journal.js';

/** Leaves an environment's unattributed entries for the CLI (nothing without COLLAUDO_UNATTRIBUTED_DIR, e.g. a plain vitest run). */
export function saveUnattributed(seat: string, entries: readonly JournalEntry[]): void {
  const dir = process.env.COLLAUDO_UNATTRIBUTED_DIR;
  if (!dir || entries.length === 0) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${seat}-${process.pid}-${randomUUID()}.json`), JSON.stringify(entries));
}
