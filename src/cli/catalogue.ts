// `collaudo catalogue`: the seat's requirements (level, condition) and the scenarios with a check
// bound to each (the binding is data on the check definitions; nothing runs here).
import { catalogue, isReconciliation, seatRequirements } from '../catalogue/index.js';
import type { Seat } from '../model.js';
import { seatInfo } from '../seats/index.js';
import { requirementsOf } from '../scenario.js';

export async function coverageOf(seat: Seat) {
  const defs = await seatInfo(seat).scenarios();
  return seatRequirements(seat).map((r) => ({
    id: r.id,
    level: r.levels[seat]!,
    condition: r.condition,
    title: r.title,
    reconciliation: isReconciliation(r),
    coveredBy: defs.filter((d) => requirementsOf(d).includes(r.id)).map((d) => d.id),
  }));
}

/**
 * Notices one full run needs from a profile without provisioning: the ones a scenario may change
 * (`writes`) are its own, consumed; the ones it only reads (`reads`) are shared between scenarios.
 */
export async function noticeNeeds(seat: Seat): Promise<Record<string, number>> {
  const defs = await seatInfo(seat).scenarios();
  const written: Record<string, number> = { payable: 0 };
  const read: Record<string, number> = {};
  for (const d of defs) {
    // deprecated `notices`: payable ones were consumed, the others read
    const legacy = Object.entries(d.notices ?? {});
    const writes = { ...d.writes, ...Object.fromEntries(legacy.filter(([s]) => s === 'payable')) };
    const reads = { ...d.reads, ...Object.fromEntries(legacy.filter(([s]) => s !== 'payable')) };
    for (const [state, n] of Object.entries(writes)) written[state] = (written[state] ?? 0) + (n ?? 0);
    for (const [state, n] of Object.entries(reads)) read[state] = Math.max(read[state] ?? 0, n ?? 0);
  }
  const states = new Set([...Object.keys(written), ...Object.keys(read)]);
  return Object.fromEntries([...states].map((s) => [s, (written[s] ?? 0) + (read[s] ?? 0)]));
}

export async function catalogueReport(seat: Seat, json: boolean): Promise<number> {
  const rows = await coverageOf(seat);
  if (json) {
    process.stdout.write(JSON.stringify({ seat, snapshot: catalogue().snapshot, notices: await noticeNeeds(seat), requirements: rows }) + '\n');
    return 0;
  }
  const judged = rows.filter((r) => !r.reconciliation);
  const covered = judged.filter((r) => r.coveredBy.length);
  for (const r of judged) {
    const mark = r.coveredBy.length ? '✔' : '·';
    process.stdout.write(`${mark} ${r.id.padEnd(34)} ${r.level.padEnd(14)} ${r.coveredBy.join(', ') || '(not covered yet)'}\n`);
  }
  process.stdout.write(`\n${covered.length}/${judged.length} requirements of the ${seat.toUpperCase()} seat covered (reconciliation excluded)\n`);
  // only seats whose scenarios read notices the candidate prepared (the PSP seat creates its own)
  const needs = await noticeNeeds(seat);
  if (Object.values(needs).some((n) => n > 0)) {
    const list = Object.entries(needs).map(([k, v]) => `${v} ${k}`).join(', ');
    process.stdout.write(`notices one run needs without provisioning: ${list} (payable ones are consumed; unknown ones are generated when not listed)\n`);
  }
  return 0;
}
