// Scenario order never changes a verdict (issue 14, item 2): the EC suite run in catalogue order,
// reversed and in a seeded shuffle against the embedded reference EC gives the same verdict per
// scenario; and two runs against ONE station instance that is never reset, with a profile listing
// the same non-payable notices, give the same verdicts too.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ecScenarios } from '../suites/ec/index.js';
import { REFERENCE_EC_PROFILE, ecEnv, startEcParts, type EcContext, type EcParts } from '../seats/ec.js';
import { runScenario } from '../src/core/runner.js';
import type { ScenarioDef } from '../src/core/scenario.js';
import { loadProfile, type Profile } from '../src/profile/index.js';
import { noticePlan } from '../seats/ec-notices.js';
import { POSITION_STATES } from '../domain/common.js';

type Verdicts = Record<string, string>;

/** Runs the scenarios one after the other in the given order, in one environment (one worker). */
async function runInOrder(order: ScenarioDef<EcContext>[], parts?: EcParts, catalogue = ecScenarios): Promise<Verdicts> {
  const env = await ecEnv(catalogue, undefined, parts);
  const out: Verdicts = {};
  try {
    for (const def of order) {
      const r = await runScenario(def, env);
      out[def.id] = r.verdict === 'PASS' || r.verdict === 'NOT_APPLICABLE' ? r.verdict : `${r.verdict}: ${r.reason ?? r.checks.filter((c) => c.verdict === 'FAIL').map((c) => c.message).join('; ')}`;
    }
  } finally {
    await env.close();
  }
  return out;
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(xs: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}


/** Creates on `parts`' reference EC every notice the plan needs and lists them (no provisioning). */
function listedProfile(defs: ScenarioDef<EcContext>[], parts: EcParts): string {
  const base = parse(readFileSync(REFERENCE_EC_PROFILE, 'utf8')) as Profile;
  delete base.provisioning;
  const plan = noticePlan(defs, () => true);
  const notices: Profile['notices'] = {};
  for (const state of POSITION_STATES) {
    const n = (plan.shared[state] ?? 0) + (plan.consumed[state] ?? 0);
    notices[state] = Array.from({ length: n }, () => ({ noticeNumber: parts.reference!.provision({ state, amountCents: 1500 }).noticeNumber, amount: '15.00' }));
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'collaudo-listed-')), 'station.yaml');
  writeFileSync(file, stringify({ ...base, notices }));
  return file;
}

const savedProfile = process.env.COLLAUDO_PROFILE;
afterAll(() => {
  if (savedProfile === undefined) delete process.env.COLLAUDO_PROFILE;
  else process.env.COLLAUDO_PROFILE = savedProfile;
});

describe('scenario order never changes a verdict', () => {
  it('catalogue order, reversed and a seeded shuffle give identical verdicts', async () => {
    delete process.env.COLLAUDO_PROFILE;
    const forward = await runInOrder(ecScenarios);
    const reversed = await runInOrder([...ecScenarios].reverse());
    const shuffle = await runInOrder(shuffled(ecScenarios, 14));
    expect(Object.keys(forward)).toHaveLength(ecScenarios.length);
    expect(reversed).toEqual(forward);
    expect(shuffle).toEqual(forward);
    // the reference EC is conformant: the comparison is between meaningful verdicts
    expect(Object.entries(forward).filter(([, v]) => v !== 'PASS' && v !== 'NOT_APPLICABLE')).toEqual([]);
  }, 240_000);

  it('notices listed in the profile (no provisioning): shared notices are only read, so reversed order gives identical verdicts', async () => {
    const defs = ecScenarios;
    const verdicts: Verdicts[] = [];
    for (const order of [defs, [...defs].reverse()]) {
      const parts = await startEcParts(loadProfile(REFERENCE_EC_PROFILE).profile);
      try {
        process.env.COLLAUDO_PROFILE = listedProfile(defs, parts);
        verdicts.push(await runInOrder(order, parts, defs));
      } finally {
        await parts.stop();
      }
    }
    expect(verdicts[1]).toEqual(verdicts[0]);
    // an expired notice paid by EC-RT-06 would turn EC-ERR-05/06 into PAA_PAGAMENTO_DUPLICATO in one order
    expect(verdicts[0]!['EC-ERR-05']).toBe('PASS');
    expect(verdicts[0]!['EC-RT-06']).toBe('PASS');
  }, 240_000);

  it('two runs against one station instance, never reset, listing the same non-payable notices: identical verdicts', async () => {
    const base = parse(readFileSync(REFERENCE_EC_PROFILE, 'utf8')) as Profile;
    const parts = await startEcParts(loadProfile(REFERENCE_EC_PROFILE).profile);
    try {
      // the station's non-payable notices, prepared once and listed in the profile of both runs
      const plan = noticePlan(ecScenarios, () => true);
      const ref = parts.reference!;
      const notices: Profile['notices'] = {};
      for (const state of ['paid', 'expired', 'cancelled', 'in-progress'] as const) {
        notices[state] = Array.from({ length: Math.max(1, plan.shared[state] ?? 0) }, () => ref.provision({ state, amountCents: 1500 }).noticeNumber);
      }
      const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-twice-'));
      const file = path.join(dir, 'station.yaml');
      writeFileSync(file, stringify({ ...base, notices }));
      process.env.COLLAUDO_PROFILE = file;
      const first = await runInOrder(ecScenarios, parts);
      const second = await runInOrder(ecScenarios, parts);
      expect(second).toEqual(first);
      expect(Object.entries(first).filter(([, v]) => v !== 'PASS' && v !== 'NOT_APPLICABLE')).toEqual([]);
    } finally {
      await parts.stop();
    }
  }, 240_000);
});
