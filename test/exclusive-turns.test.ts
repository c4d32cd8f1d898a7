// Scenarios run side by side on the real clock; those naming the same `exclusive` resource (the PSP's
// flows of the day) take turns, so one's question is never answered with another's flow
// (src/core/runner.ts turnTaker). The order of the turns is the order of asking; a failed turn frees
// the resource; different resources and unnamed ones do not wait.
import { describe, expect, it } from 'vitest';
import { turnTaker } from '../src/core/runner.js';
import { pspScenarios as newScenarios } from '../suites/psp/index.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';
import { PSP_FLOWS } from '../suites/psp/fdr-judge.js';

const pspScenarios = [...newScenarios, ...oldPspScenarios];

/** A piece of work that records when it starts and ends, and ends when `release` is called. */
function work(log: string[], name: string, fail = false) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const run = async () => {
    log.push(`${name} start`);
    await gate;
    log.push(`${name} end`);
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
  return { run, release };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('turns on an exclusive resource', () => {
  it('the second holder starts only after the first ended; another resource and none start at once', async () => {
    const inTurn = turnTaker();
    const log: string[] = [];
    const [a, b, c, d] = [work(log, 'a'), work(log, 'b'), work(log, 'c'), work(log, 'd')];
    const pa = inTurn('flows', a.run);
    const pb = inTurn('flows', b.run);
    const pc = inTurn('other', c.run);
    const pd = inTurn(undefined, d.run);
    await tick();
    expect([...log].sort()).toEqual(['a start', 'c start', 'd start']);
    b.release();
    await tick();
    expect(log).not.toContain('b start');
    a.release();
    expect(await pa).toBe('a');
    expect(await pb).toBe('b');
    expect(log.indexOf('b start')).toBeGreaterThan(log.indexOf('a end'));
    c.release();
    d.release();
    expect(await Promise.all([pc, pd])).toEqual(['c', 'd']);
  });

  it('a holder that fails frees the resource, and its caller still sees the failure', async () => {
    const inTurn = turnTaker();
    const log: string[] = [];
    const a = work(log, 'a', true);
    const b = work(log, 'b');
    const pa = inTurn('flows', a.run);
    const pb = inTurn('flows', b.run);
    a.release();
    await expect(pa).rejects.toThrow('a failed');
    b.release();
    expect(await pb).toBe('b');
  });

  it('every PSP scenario that asks for a flow names the PSP\'s flows; those that make no ask do not', () => {
    const asking = pspScenarios.filter((s) => /^PSP-(OLD-)?FDR-/.test(s.id) && !s.notYet);
    expect(asking.length).toBeGreaterThanOrEqual(6);
    for (const s of asking) expect(s.exclusive, s.id).toBe(PSP_FLOWS);
    for (const s of pspScenarios.filter((x) => !asking.includes(x))) expect(s.exclusive, s.id).toBeUndefined();
  });
});
