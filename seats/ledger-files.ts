// The run's ledger leaves the vitest workers as files: each seat environment (one per suite file)
// writes its ledger into the folder the CLI names (COLLAUDO_LEDGER_DIR), and the CLI joins them
// with Ledger.merge into the run's ledger.json. Receipts are keyed, so the join order is irrelevant.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ledger } from '../src/core/ledger.js';

export const LEDGER_DIR_ENV = 'COLLAUDO_LEDGER_DIR';

/** Leaves an environment's ledger for the CLI (nothing without COLLAUDO_LEDGER_DIR, e.g. a plain vitest run). */
export function saveLedger(l: Ledger): void {
  const dir = process.env[LEDGER_DIR_ENV];
  if (!dir) return;
  const doc = l.toJSON();
  if (doc.receipts.length === 0 && doc.flows.length === 0) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `ledger-${process.pid}-${randomUUID()}.json`), JSON.stringify(doc));
}

/** The environments' ledgers as one; the folder is removed. */
export function collectLedgers(dir: string): Ledger {
  try {
    const parts = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ReturnType<Ledger['toJSON']>);
    return Ledger.merge(parts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Ledger();
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
