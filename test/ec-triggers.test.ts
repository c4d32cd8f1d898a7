// EC-initiated flows through the one trigger contract (src/triggers, seat ec): the contract's EC
// actions, the reference EC's hook (validates, 202 at once, acts afterwards), askEc() waiting on
// the wire with the trigger's deadline, and the profile's `trigger:` / `harness.platform` for seat ec.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileError, parseProfile } from '../src/profile/index.js';
import { type EcContext, REFERENCE_EC_PROFILE, ecEnv } from '../seats/ec.js';
import { runScenario, type SeatEnv } from '../src/core/runner.js';
import type { ScenarioResult } from '../src/core/model.js';
import { TRIGGER_CONTRACT, TriggerError, validateTriggerRequest } from '../src/triggers/index.js';
import { ecScenarios } from '../suites/ec/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-ec-triggers-'));
const servers: http.Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
  rmSync(dir, { recursive: true, force: true });
});

/** The reference EC's profile with `extra` YAML appended (a trigger, harness.platform …). */
function profileWith(name: string, extra: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, `${readFileSync(REFERENCE_EC_PROFILE, 'utf8')}\n${extra}\n`);
  return file;
}

async function envFor(profile: string): Promise<SeatEnv<EcContext>> {
  const previous = process.env.COLLAUDO_PROFILE;
  process.env.COLLAUDO_PROFILE = profile;
  try {
    return await ecEnv(ecScenarios);
  } finally {
    if (previous === undefined) delete process.env.COLLAUDO_PROFILE;
    else process.env.COLLAUDO_PROFILE = previous;
  }
}

const TRIGGERED = ['EC-TP-03', 'EC-TP-04', 'EC-TP-05', 'EC-GPD-01', 'EC-GPD-02', 'EC-GPD-03'];
const def = (id: string) => ecScenarios.find((d) => d.id === id)!;

async function run(profile: string, ids: string[], wrap: (e: SeatEnv<EcContext>) => SeatEnv<EcContext> = (e) => e): Promise<ScenarioResult[]> {
  const env = await envFor(profile);
  try {
    const out: ScenarioResult[] = [];
    for (const id of ids) out.push(await runScenario(def(id), wrap(env)));
    return out;
  } finally {
    await env.close();
  }
}

/** A hook that answers every POST with `status` and never acts; counts the requests it got. */
async function fakeHook(status: number): Promise<{ url: string; got: unknown[] }> {
  const got: unknown[] = [];
  const s = http.createServer((q, r) => {
    let b = '';
    q.on('data', (c) => (b += c));
    q.on('end', () => {
      got.push(JSON.parse(b));
      r.writeHead(status, { 'content-type': 'application/json' });
      r.end(status === 202 ? '{"accepted":true}' : '{"error":"out of order"}');
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`, got };
}

const ecReq = (over: Record<string, unknown> = {}) => ({
  contract: TRIGGER_CONTRACT, requestId: randomUUID(), scenarioId: 'EC-GPD-02', seat: 'ec', action: 'gpd-create', fiscalCode: '77777777777',
  amount: '51.00', amountCents: 5100, deadline: new Date(Date.now() + 5000).toISOString(), deadlineMs: 5000, params: { amountCents: 5100 }, ...over,
});
const problemOf = (x: unknown, seat: 'ec' | 'psp' | 'any' = 'any'): string => {
  try {
    validateTriggerRequest(x, seat as 'any');
  } catch (e) {
    expect(e).toBeInstanceOf(TriggerError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(x)}`);
};

describe('the contract: EC actions', () => {
  it('accepts the EC actions, with noticeNumber only where a notice exists', () => {
    expect(validateTriggerRequest(ecReq(), 'ec').action).toBe('gpd-create');
    expect(validateTriggerRequest(ecReq({ action: 'stamp-cart', params: { document: 'atto' } }), 'ec').noticeNumber).toBeUndefined();
    const n = { fiscalCode: '77777777777', noticeNumber: '301000000000012345' };
    expect(validateTriggerRequest(ecReq({ action: 'checkout-cart', noticeNumber: n.noticeNumber, params: { notices: [n] } }), 'ec').params.notices).toHaveLength(1);
    expect(validateTriggerRequest(ecReq({ action: 'gpd-cancel', noticeNumber: n.noticeNumber, params: { iupd: 'X-1' } }), 'ec').action).toBe('gpd-cancel');
  });
  it('names the field and the rule: noticeNumber for actions on a notice, seat ec, the action params', () => {
    expect(problemOf(ecReq({ action: 'checkout-cart', params: { notices: [{ fiscalCode: '77777777777', noticeNumber: '301000000000012345' }] } }))).toContain('request.noticeNumber: is required');
    const { seat: _seat, ...noSeat } = ecReq();
    expect(problemOf(noSeat)).toContain('request.seat: is required');
    expect(problemOf(ecReq({ seat: 'psp' }))).toContain('request.seat: must be "ec"');
    expect(problemOf(ecReq({ params: {} }))).toContain('request.params.amountCents: is required');
    expect(problemOf(ecReq({ action: 'gpd-update', noticeNumber: '301000000000012345', params: { amountCents: 10 } }))).toContain('request.params.iupd: is required');
  });
  it('keeps noticeNumber required for every PSP action, and each seat refuses the other seat’s actions', () => {
    const { noticeNumber: _n, ...pay } = { contract: TRIGGER_CONTRACT, requestId: 'r', scenarioId: 'PSP-PAY-01', action: 'pay', fiscalCode: '77777777777', noticeNumber: '301000000000012345', deadline: new Date().toISOString(), deadlineMs: 1000 };
    expect(problemOf(pay)).toContain('request.noticeNumber: is required');
    expect(problemOf(ecReq(), 'psp')).toContain('"gpd-create" is an action of seat ec; this hook serves seat psp');
    expect(problemOf({ ...pay, noticeNumber: '301000000000012345' }, 'ec')).toContain('"pay" is an action of seat psp; this hook serves seat ec');
  });
});

describe('the reference EC’s hook', () => {
  it('answers 202 at once and acts afterwards; 400 names the field and the rule', async () => {
    const env = await envFor(REFERENCE_EC_PROFILE);
    try {
      const { ctx, close } = await env.open(def('EC-GPD-02'));
      try {
        const hook = `${ctx.embeddedEcUrl}/collaudo/trigger`;
        const post = (b: unknown) => fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        const bad = await post(ecReq({ action: 'checkout-cart', params: { notices: [] } }));
        expect(bad.status).toBe(400);
        const err = ((await bad.json()) as { error: string }).error;
        expect(err).toContain('request.noticeNumber: is required');
        expect(err).toContain('request.params.notices: must NOT have fewer than 1 items');
        const ok = await post(ecReq());
        expect(ok.status).toBe(202);
        // the action is done afterwards, on the wire: the createPosition call at the harness's GPD
        const created = await ctx.journal.waitFor((e) => e.direction === 'response' && e.from === 'platform' && e.primitive === 'createPosition', 5000, 'createPosition');
        expect(created.httpStatus).toBe(201);
      } finally {
        await close();
      }
    } finally {
      await env.close();
    }
  });
});

describe('EC scenarios that use triggers', () => {
  it('PASS against the reference EC through its HTTP hook (profile trigger: embedded:reference-ec)', async () => {
    const rs = await run(profileWith('http', 'trigger:\n  http:\n    url: embedded:reference-ec\n  deadlineMs: 10000'), TRIGGERED);
    for (const r of rs) expect({ id: r.id, verdict: r.verdict, reason: r.reason }).toEqual({ id: r.id, verdict: 'PASS', reason: undefined });
    // every EC action went through the contract (seat ec) and was accepted with 202
    const asked = rs.flatMap((r) => r.journal.filter((e) => e.direction === 'request' && e.to === 'ec-trigger'));
    expect(new Set(asked.map((e) => JSON.parse(e.raw).action))).toEqual(new Set(['checkout-cart', 'stamp-cart', 'gpd-create', 'gpd-update', 'gpd-cancel']));
    for (const e of asked) expect(validateTriggerRequest(JSON.parse(e.raw), 'ec').seat).toBe('ec');
    const answers = rs.flatMap((r) => r.journal.filter((e) => e.direction === 'response' && e.from === 'ec-trigger'));
    expect(answers.map((e) => e.httpStatus)).toEqual(asked.map(() => 202));
  }, 60_000);

  it('a hook that answers 500 → INCONCLUSIVE with the status', async () => {
    const hook = await fakeHook(500);
    const [r] = await run(profileWith('h500', `trigger:\n  http:\n    url: ${hook.url}\n  deadlineMs: 2000`), ['EC-GPD-02']);
    expect(r!.verdict).toBe('INCONCLUSIVE');
    expect(r!.reason).toContain('answered HTTP 500 instead of 202');
    expect(r!.reason).toContain(hook.url);
    expect(hook.got).toHaveLength(1);
  }, 30_000);

  it('a hook that answers 202 but never acts → INCONCLUSIVE within the deadline (transport, target, deadline in the reason)', async () => {
    const hook = await fakeHook(202);
    const started = Date.now();
    const [r] = await run(profileWith('h202', `trigger:\n  http:\n    url: ${hook.url}\n  deadlineMs: 400`), ['EC-TP-03']);
    const took = Date.now() - started;
    expect(r!.verdict).toBe('INCONCLUSIVE');
    expect(r!.reason).toMatch(/never acted: no the cart POST \(\/carts\) at the harness's Checkout within 400 ms/);
    expect(r!.reason).toContain(`http trigger (checkout-cart) to ${hook.url}`);
    expect((hook.got[0] as { action: string; seat: string }).seat).toBe('ec');
    expect(r!.durationMs).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(10_000);
  }, 30_000);

  it('a command trigger (a tiny node script forwarding stdin to the reference EC’s hook) works', async () => {
    writeFileSync(
      path.join(dir, 'forward.mjs'),
      [
        "let b = '';",
        "process.stdin.on('data', (c) => (b += c));",
        "process.stdin.on('end', async () => {",
        "  const r = await fetch(process.env.TEST_EC_HOOK, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });",
        '  process.exit(r.status === 202 ? 0 : 1);',
        '});',
      ].join('\n'),
    );
    const seen: string[] = [];
    // the reference EC's port is known once the environment runs: the command reads it from the environment
    const rs = await run(profileWith('cmd', 'trigger:\n  command: node forward.mjs\n  deadlineMs: 10000'), ['EC-TP-03', 'EC-GPD-03'], (env) => ({
      ...env,
      async open(d) {
        const o = await env.open(d);
        process.env.TEST_EC_HOOK = `${o.ctx.embeddedEcUrl}/collaudo/trigger`;
        seen.push(o.ctx.trigger?.transport.kind ?? 'none');
        return o;
      },
    }));
    delete process.env.TEST_EC_HOOK;
    expect(seen).toEqual(['command', 'command']);
    for (const r of rs) expect({ id: r.id, verdict: r.verdict, reason: r.reason }).toEqual({ id: r.id, verdict: 'PASS', reason: undefined });
  }, 60_000);
});

describe('profile: trigger and harness.platform for seat ec', () => {
  const BASE = readFileSync(REFERENCE_EC_PROFILE, 'utf8');
  const problems = (text: string): string[] => {
    try {
      parseProfile(text, path.join(dir, 'p.yaml'));
    } catch (e) {
      if (e instanceof ProfileError) return e.problems;
      throw e;
    }
    return [];
  };
  // a real station of the new model only (an old-model one also names where the harness Nodo listens)
  const external = BASE.replace('url: embedded:reference-ec\nprovisioning', 'url: https://ec.example.invalid/paForNode\nprovisioning').replace('models: [old, new]', 'models: [new]');
  it('accepts a trigger and harness.platform on an EC profile', () => {
    expect(problems(`${external}\ntrigger:\n  http:\n    url: https://ec.example.invalid/collaudo/trigger\nharness:\n  platform:\n    host: 0.0.0.0\n    port: 18080\n`)).toEqual([]);
  });
  it('refuses two transports, the PSP hook, and a real EC without a fixed platform port', () => {
    expect(problems(`${BASE}\ntrigger:\n  command: x\n  prompt: true\n`)).toEqual(['trigger: must select exactly one transport of http, command, prompt (found command, prompt)']);
    expect(problems(`${BASE}\ntrigger:\n  http:\n    url: embedded:reference-psp\n`)[0]).toContain('trigger.http.url');
    expect(problems(`${external}\ntrigger:\n  prompt: true\n`)[0]).toMatch(/^harness\.platform\.port: /);
  });
  it('the emulated platform listens on harness.platform', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const env = await envFor(profileWith('platform', `harness:\n  platform:\n    port: ${port}`));
    try {
      const { ctx, close } = await env.open(def('EC-GPD-02'));
      expect(ctx.platform!.urls.checkoutUrl).toBe(`http://127.0.0.1:${port}/checkout`);
      await close();
    } finally {
      await env.close();
    }
  });
});
