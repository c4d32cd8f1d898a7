// `collaudo catalogue`: the seat's requirements (level, condition) and the scenarios with a check
// bound to each (the binding is data on the check definitions; nothing runs here).
import { catalogue, isReconciliation, seatRequirements } from '../src/catalogue/index.js';
import type { Seat } from '../src/core/model.js';
import { seatInfo } from '../seats/index.js';
import { modelOf, requirementsOf } from '../src/core/scenario.js';
import { NOTICE_STATES } from '../domain/common.js';
import { type NoticePlan, describePlan, noticePlan } from '../seats/ec-notices.js';

export async function coverageOf(seat: Seat) {
  const defs = await seatInfo(seat).scenarios();
  return seatRequirements(seat).map((r) => {
    const coveredBy = defs.filter((d) => requirementsOf(d).includes(r.id)).map((d) => d.id);
    // what a certificate will say of an id no check can judge: never a silent gap
    const notYet = coveredBy.length ? [] : defs.filter((d) => d.notYet !== undefined && requirementsOf({ ...d, notYet: undefined }).includes(r.id));
    const declaration = r.needs.includes('declaration');
    return {
      id: r.id,
      model: r.model,
      level: r.levels[seat]!,
      condition: r.condition,
      title: r.title,
      reconciliation: isReconciliation(r),
      coveredBy,
      ...(declaration ? { declaration: true, reason: `an organisational duty the messages cannot show: reported DECLARED when the profile declares it (declarations.${r.id})` } : {}),
      ...(notYet.length ? { notApplicable: true, reason: notYet.map((d) => `${d.id}: ${d.notYet}`).join('; ') } : {}),
    };
  });
}

/**
 * The notices one full run needs (every optional feature declared; a scenario whose feature a profile
 * does not declare reserves nothing): per state the shared ones every scenario may read plus those
 * the run consumes. The allocator follows the same plan (seats/ec-notices.ts).
 */
export async function noticeNeeds(seat: Seat): Promise<{ total: Record<string, number>; plan: NoticePlan }> {
  const plan = noticePlan(await seatInfo(seat).scenarios());
  const total: Record<string, number> = {};
  for (const s of NOTICE_STATES) {
    const n = (plan.shared[s] ?? 0) + (plan.consumed[s] ?? 0);
    if (n > 0 || s === 'payable') total[s] = n;
  }
  return { total, plan };
}

export async function catalogueReport(seat: Seat, json: boolean): Promise<number> {
  const rows = await coverageOf(seat);
  if (json) {
    const { total, plan } = await noticeNeeds(seat);
    // each scenario with the payment model it exercises (a profile's `models` selects by it)
    const scenarios = (await seatInfo(seat).scenarios()).map((d) => ({ id: d.id, title: d.title, model: modelOf(d) }));
    process.stdout.write(JSON.stringify({ seat, snapshot: catalogue().snapshot, notices: total, noticesRead: plan.shared, noticesConsumed: plan.consumed, requirements: rows, scenarios }) + '\n');
    return 0;
  }
  const judged = rows.filter((r) => !r.reconciliation);
  const covered = judged.filter((r) => r.coveredBy.length);
  for (const r of judged) {
    const mark = r.coveredBy.length ? '✔' : r.declaration ? 'D' : r.notApplicable ? '–' : '·';
    process.stdout.write(`${mark} ${r.id.padEnd(34)} ${r.model.padEnd(4)} ${r.level.padEnd(14)} ${r.coveredBy.join(', ') || r.reason || '(no check bound yet)'}\n`);
  }
  for (const m of [...new Set(judged.map((r) => r.model))]) {
    const of = judged.filter((r) => r.model === m);
    process.stdout.write(`model ${m}: ${of.filter((r) => r.coveredBy.length).length}/${of.length} with a check bound\n`);
  }
  process.stdout.write(
    `\n${covered.length}/${judged.length} requirements of the ${seat.toUpperCase()} seat have a check bound to them (reconciliation excluded); ` +
      `a certificate counts only those its checks actually judged\n`,
  );
  // only seats whose scenarios read notices the candidate prepared (the PSP seat creates its own)
  const { total, plan } = await noticeNeeds(seat);
  if (Object.values(total).some((n) => n > 0)) {
    process.stdout.write(
      [
        'notices one full run needs without provisioning (every feature declared; scenarios of a feature your profile does not declare reserve none):',
        ...describePlan(plan).map((l) => `  ${l}`),
        '  list the read ones first in each state; consumed ones must be fresh for every run; unknown ones are generated when not listed',
      ].join('\n') + '\n',
    );
  }
  return 0;
}
