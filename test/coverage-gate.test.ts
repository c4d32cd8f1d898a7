// Coverage gate (issue 4 item 4, issue 14 item 18): `npm test` fails when a MUST requirement of the
// EC seat (NM-* and IF-*) has no check bound to it, or a check names a requirement the catalogue does
// not know. Ids no check is bound to are listed below with the reason; the gate also fails when one
// of them becomes bound, so the list can only shrink. `collaudo catalogue --seat ec --json` must
// agree with the checks' bindings.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Requirement, catalogue, isReconciliation, requirement } from '../src/catalogue/index.js';
import { ecScenarios } from '../suites/ec/index.js';
import { type ScenarioDef, requirementsOf } from '../src/core/scenario.js';
import { ecPlan } from '../suites/ec/plan.js';
import { PACKAGE_ROOT } from '../seats/ec.js';

/** MUST ids of the EC seat no check is bound to, each with the reason (remove an entry when a check judges it). */
const PENDING: Record<string, string> = {
  'IF-X-02': 'SOAPAction is a header of the requests the harness sends; the EC answers carry none, and no scenario sends a wrong SOAPAction to the EC yet',
  'IF-X-13': 'the Nodo fault PPT_STAZIONE_INT_PA_TIMEOUT towards the PSP is the harness Nodo; the EC side (answer in time) is judged under NM-SLA-TO-02 / NM-PSPPAY-ERR-08',
  'IF-X-23': 'Stand-In served from ACA is the platform; the EC side (accepting standIn receipts) is judged under IF-paSendRT-F74 / NM-SI-PAY-02',
  'IF-paGetPayment-F79': 'the PSP getting PPT_STAZIONE_INT_PA_TIMEOUT is the harness Nodo; the EC answering in time is judged under NM-PSPPAY-ERR-08',
  'IF-paSendRT-F05': 'the receipt fields are built by the harness Nodo; the EC accepting them is judged under NM-RT-PAY-01',
  'IF-nodoChiediElencoFlussiRendicontazione-F40': 'fields of the answer the harness Nodo writes to the EC\'s flow list: the EC reading them shows in what it downloads next, judged by EC-FDR-01\'s soap-sequence',
  'IF-nodoChiediElencoFlussiRendicontazione-F41': 'fields of the answer the harness Nodo writes to the EC\'s flow list: the EC reading them shows in what it downloads next, judged by EC-FDR-01\'s soap-sequence',
};

/** FdR retrieval on nodeForPa (nodoChiedi*Rendicontazione) is reconciliation (order 9). */
const reconciliation = (r: Requirement): boolean => isReconciliation(r) || /Rendicontazione/.test(r.id);

/** The gate's population: NM-* and IF-* ids the EC seat MUST satisfy, reconciliation included, outside declarations. */
export function ecMustIds(): string[] {
  return catalogue()
    .requirements.filter((r) => /^(NM|IF)-/.test(r.id) && r.levels.ec === 'MUST' && !r.needs.includes('declaration'))
    .map((r) => r.id);
}

const covered = new Set(ecScenarios.flatMap((d) => requirementsOf(d)));

describe('coverage gate (EC seat)', () => {
  it('every EC MUST requirement has a check bound to it, unless it is listed as pending with a reason', () => {
    const missing = ecMustIds().filter((id) => !covered.has(id) && !(id in PENDING));
    expect(missing, `EC MUST requirements no check is bound to: ${missing.join(', ')}`).toEqual([]);
  });

  it('every scenario declares its checks as data', () => {
    expect(ecScenarios.filter((d) => !d.checks.length).map((d) => d.id)).toEqual([]);
  });

  it('the pending list only shrinks: a pending id that is now covered must be removed from it', () => {
    const nowCovered = Object.keys(PENDING).filter((id) => covered.has(id));
    expect(nowCovered, `covered now, remove from PENDING in test/coverage-gate.test.ts: ${nowCovered.join(', ')}`).toEqual([]);
  });

  it('the pending list names only EC MUST requirements, each with a reason', () => {
    const must = new Set(ecMustIds());
    for (const [id, reason] of Object.entries(PENDING)) {
      expect(must.has(id), `${id} is not an EC MUST requirement of the gate`).toBe(true);
      expect(reason.length).toBeGreaterThan(10);
    }
  });

  it('no scenario names an unknown requirement, or one that does not apply to its seat', () => {
    const bad = ecScenarios.flatMap((d) => requirementsOf(d).filter((r) => !requirement(r)?.levels[d.seat]).map((r) => `${d.id}: ${r}`));
    expect(bad).toEqual([]);
  });

  it('the gate population is not empty, holds the reconciliation ids, and the declaration ids are outside it', () => {
    const ids = ecMustIds();
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.some((id) => id.startsWith('IF-'))).toBe(true);
    expect(ids.filter((id) => reconciliation(requirement(id)!)).length).toBeGreaterThan(15);
    for (const id of ids) expect(requirement(id)!.needs).not.toContain('declaration');
  });
});

describe('collaudo catalogue --seat ec --json agrees with the scenarios', () => {
  const run = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin/collaudo.mjs'), 'catalogue', '--seat', 'ec', '--json'], { encoding: 'utf8', timeout: 60_000 });
  const doc = JSON.parse(run.stdout || '{}') as { requirements?: { id: string; level: string; coveredBy: string[] }[] };

  it('exits 0 with one JSON document', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(Array.isArray(doc.requirements)).toBe(true);
  });

  it('coveredBy of every requirement is exactly the scenarios that name it; levels are the EC levels', () => {
    for (const r of doc.requirements ?? []) {
      const expected = ecPlan.filter((d) => requirementsOf(d as ScenarioDef<never>).includes(r.id)).map((d) => d.id);
      expect([...r.coveredBy].sort(), r.id).toEqual(expected.sort());
      expect(r.level, r.id).toBe(requirement(r.id)!.levels.ec);
    }
  });

  it('every judged requirement a scenario names is listed, and every gate id is listed with level MUST', () => {
    const listed = new Map((doc.requirements ?? []).map((r) => [r.id, r]));
    for (const d of ecPlan as ScenarioDef<never>[]) {
      for (const id of requirementsOf(d)) {
        const level = requirement(id)!.levels.ec!;
        if (['MUST', 'SHOULD', 'MAY', 'MAY-if-offered'].includes(level)) expect(listed.get(id)?.coveredBy, `${id} (${d.id})`).toContain(d.id);
      }
    }
    for (const id of ecMustIds()) expect(listed.get(id)?.level, id).toBe('MUST');
    const uncovered = ecMustIds().filter((id) => !listed.get(id)?.coveredBy.length);
    expect(uncovered.sort()).toEqual(Object.keys(PENDING).sort());
  });
});
