// `--shard i/n` when a run is one file (an external PSP: seats/psp-run.suite.ts, seats/psp-old-run.suite.ts):
// src/core/runner.ts shardOf deals the selected scenarios to the shards, those that wait on the spec's
// schedules (paceMs) first, so the RT push retry scenarios of the old model land in different shards.
import { describe, expect, it } from 'vitest';
import { shardOf } from '../src/core/runner.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';

const ids = (defs: { id: string }[]) => defs.map((d) => d.id);
const shards = <T extends { id: string; paceMs?: number }>(defs: T[], n: number, selected?: string[]) => Array.from({ length: n }, (_, i) => shardOf(defs, `${i + 1}/${n}`, selected));
/** what a shard waits at real pace: its scenarios one after the other (the old model's Nodo serves one at a time) */
const pace = (defs: { paceMs?: number }[]) => defs.reduce((a, d) => a + (d.paceMs ?? 0), 0);

describe('shardOf', () => {
  it('without --shard: every scenario, in order', () => {
    expect(shardOf(oldPspScenarios, undefined)).toBe(oldPspScenarios);
  });

  it.each([1, 2, 3, 4, 7])('%i shards: every selected scenario exactly once, each shard in list order', (n) => {
    const all = shards(oldPspScenarios, n);
    expect(all.flat().map((d) => d.id).sort()).toEqual(ids(oldPspScenarios).sort());
    for (const part of all) expect(ids(part)).toEqual(ids(oldPspScenarios).filter((id) => ids(part).includes(id)));
  });

  it('the old model\'s RT push scenarios that wait on TR-08 are the paced ones, slowest the retries exhausted', () => {
    const paced = oldPspScenarios.filter((d) => d.paceMs);
    expect(ids(paced).sort()).toEqual(['PSP-OLD-ERR-11', 'PSP-OLD-ERR-14', 'PSP-OLD-ERR-15', 'PSP-OLD-ERR-16', 'PSP-OLD-NEG-04', 'PSP-OLD-RETRY-01', 'PSP-OLD-RETRY-02', 'PSP-OLD-RETRY-03']);
    const slowest = [...paced].sort((a, b) => b.paceMs! - a.paceMs!)[0]!;
    expect(slowest.id).toBe('PSP-OLD-RETRY-03');
    // 6 pushes held for the PSP's wait, the 5 TR-08 waits (155 s), then the listening for a 7th
    expect(slowest.paceMs).toBeGreaterThan(155_000 + 6 * 15_000);
  });

  it.each([3, 4, 5])('%i shards: the three retry scenarios in three shards, and the slowest shard is the one of PSP-OLD-RETRY-03', (n) => {
    const all = shards(oldPspScenarios, n);
    const home = (id: string) => all.findIndex((p) => ids(p).includes(id));
    const retry = ['PSP-OLD-RETRY-03', 'PSP-OLD-RETRY-02', 'PSP-OLD-NEG-04'].map(home);
    expect(new Set(retry).size).toBe(3);
    const paces = all.map(pace);
    expect(Math.max(...paces)).toBe(paces[home('PSP-OLD-RETRY-03')]);
    // nothing else that waits on TR-08 beyond the short faults rides with it
    expect(paces[home('PSP-OLD-RETRY-03')]! - oldPspScenarios.find((d) => d.id === 'PSP-OLD-RETRY-03')!.paceMs!).toBeLessThan(20_000);
  });

  it('deals the selection, not the whole list: scenarios far apart in the list are spread all the same', () => {
    // every 4th scenario of the list: by list position (k mod 4) they would all fall in one shard of four
    const picked = ids(oldPspScenarios.filter((_, k) => k % 4 === 0)).slice(0, 8);
    const all = shards(oldPspScenarios, 4, picked);
    expect(all.map((p) => p.length)).toEqual([2, 2, 2, 2]);
    expect(all.flat().map((d) => d.id).sort()).toEqual([...picked].sort());
  });

  it('two shards: the slowest scenario and the next slowest apart', () => {
    const [a, b] = shards(oldPspScenarios, 2);
    expect(ids(a!)).toContain('PSP-OLD-RETRY-03');
    expect(ids(b!)).toContain('PSP-OLD-RETRY-02');
  });
});
