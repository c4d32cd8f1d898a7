// The run's ledger in the seats (issue item 5): one ledger per run, reached by every scenario as
// `t.ledger`; what a scenario records is marked with its id, a later scenario of the same run reads
// it by key, and the order of the scenarios does not change what a reader selects. `collaudo run`
// writes it as ledger.json, and `collaudo merge` joins the shards' ledgers by key.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecEnv } from '../seats/ec.js';
import { pspEnv } from '../seats/psp.js';
import { runScenario, type SeatEnv } from '../src/core/runner.js';
import type { BaseContext, ScenarioDef } from '../src/core/scenario.js';
import { Ledger, ScenarioLedger, type LedgerReceipt } from '../src/core/ledger.js';
import { collaudo } from './support/cli.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'collaudo-ledger-'));

const receipt = (receiptId: string, ecFiscalCode: string, amountCents: number): LedgerReceipt => ({
  model: 'new',
  receiptId,
  ecFiscalCode,
  noticeNumber: `3010000000000${receiptId.slice(-5).padStart(5, '0')}`,
  idPSP: 'CLLDITMM001',
  outcome: 'OK',
  amountCents,
  transfers: [{ index: 1, ecFiscalCode, amountCents }],
  paidAt: '2026-12-04T10:00:00.000Z',
  at: 0,
});

function scenario<C extends BaseContext>(seat: 'ec' | 'psp', id: string, run: (t: C) => Promise<void>, model?: string): ScenarioDef<C> {
  return { id, title: id, titleIt: id, seat, checks: [], run, ...(model ? { model } : {}) };
}

/** Two writers and a reader, in the given order, in one run of the seat: what the reader selected by key. */
async function readerSees<C extends BaseContext>(seat: 'ec' | 'psp', makeEnv: () => Promise<SeatEnv<C>>, writersFirst: 'A' | 'B') {
  const writerA = scenario<C>(seat, `${seat.toUpperCase()}-LDG-A`, async (t) => t.ledger.recordReceipt(receipt('tokenA00001', '77777777777', 1500)));
  const writerB = scenario<C>(seat, `${seat.toUpperCase()}-LDG-B`, async (t) => t.ledger.recordReceipt(receipt('tokenB00002', '88888888888', 2500)));
  let seen: LedgerReceipt[] | undefined;
  let all: number | undefined;
  const reader = scenario<C>(seat, `${seat.toUpperCase()}-LDG-R`, async (t) => {
    seen = t.ledger.receipts({ ecFiscalCode: '88888888888' });
    all = t.ledger.receipts().length;
  });
  const env = await makeEnv();
  try {
    for (const d of writersFirst === 'A' ? [writerA, writerB, reader] : [writerB, writerA, reader]) {
      const r = await runScenario(d, env);
      // no check is recorded here: what matters is that it ran, without a harness error
      expect(r.reason).toBe('the scenario recorded no check');
    }
  } finally {
    await env.close();
  }
  return { seen, all };
}

describe.each([
  ['ec', () => ecEnv([])],
  ['psp', () => pspEnv([])],
] as const)('%s seat: one ledger per run, shared by its scenarios', (seat, makeEnv) => {
  it('a receipt recorded in one scenario is read by a later one, by key, marked with the scenario that recorded it; order does not matter', async () => {
    const ab = await readerSees<BaseContext>(seat, makeEnv as () => Promise<SeatEnv<BaseContext>>, 'A');
    const ba = await readerSees<BaseContext>(seat, makeEnv as () => Promise<SeatEnv<BaseContext>>, 'B');
    expect(ab.all).toBe(2);
    expect(ab.seen).toEqual([{ ...receipt('tokenB00002', '88888888888', 2500), scenario: `${seat.toUpperCase()}-LDG-B` }]);
    expect(ba).toEqual(ab);
  }, 60_000);

  it('runs never share a ledger: a new run starts empty', async () => {
    let count: number | undefined;
    const env = await (makeEnv as () => Promise<SeatEnv<BaseContext>>)();
    try {
      await runScenario(scenario<BaseContext>(seat, `${seat.toUpperCase()}-LDG-N`, async (t) => void (count = t.ledger.receipts().length)), env);
    } finally {
      await env.close();
    }
    expect(count).toBe(0);
  }, 60_000);

  it('a scenario of a model the profile does not list is not run (NOT_APPLICABLE, naming the model)', async () => {
    let ran = false;
    const env = await (makeEnv as () => Promise<SeatEnv<BaseContext>>)();
    try {
      const r = await runScenario(scenario<BaseContext>(seat, `${seat.toUpperCase()}-LDG-O`, async () => void (ran = true), 'fdr'), env);
      expect(r.verdict).toBe('NOT_APPLICABLE');
      expect(r.reason).toBe('the profile does not list model fdr in models');
      expect(r.model).toBe('fdr');
    } finally {
      await env.close();
    }
    expect(ran).toBe(false);
  }, 60_000);
});

describe('ScenarioLedger: the run ledger as one writer sees it', () => {
  it('marks records with the scenario its lookup names (a shared Nodo: by the receipt\'s keys), keeps a scenario already named, reads the whole run', async () => {
    const run = new Ledger();
    const owners = new Map([['tokenA00001', 'PSP-A'], ['tokenB00002', 'PSP-B']]);
    const nodo = new ScenarioLedger(run, (x) => ('receiptId' in x ? owners.get(x.receiptId) : undefined));
    nodo.recordReceipt(receipt('tokenA00001', '77777777777', 1500));
    nodo.recordReceipt(receipt('tokenB00002', '77777777777', 2500));
    nodo.recordReceipt(receipt('tokenC00003', '77777777777', 3500));
    nodo.recordReceipt({ ...receipt('tokenD00004', '77777777777', 4500), scenario: 'PSP-D' });
    expect(run.receipts().map((r) => [r.receiptId, r.scenario])).toEqual([
      ['tokenA00001', 'PSP-A'],
      ['tokenB00002', 'PSP-B'],
      ['tokenC00003', undefined],
      ['tokenD00004', 'PSP-D'],
    ]);
    const view = new ScenarioLedger(run, 'PSP-X');
    const waited = view.waitFor((l) => l.receipts({ idPSP: 'OTHERPSP' }).length === 1, 5000);
    run.recordReceipt({ ...receipt('tokenE00005', '77777777777', 100), idPSP: 'OTHERPSP' });
    await waited;
    expect(view.receipts()).toHaveLength(5);
    expect(view.toJSON()).toEqual(run.toJSON());
  });
});

describe('ledger.json', () => {
  it('a run writes it (listed in manifest.sha256); merge joins the shards\' ledgers by key', async () => {
    const [a, b, m] = [path.join(tmp(), 'a'), path.join(tmp(), 'b'), path.join(tmp(), 'm')];
    const ra = await collaudo(['demo', '--scenario', 'EC-PAY-01', '--out', a, '--no-allure']);
    const rb = await collaudo(['demo', '--scenario', 'EC-PAY-02', '--out', b, '--no-allure']);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    for (const dir of [a, b]) {
      const doc = JSON.parse(readFileSync(path.join(dir, 'ledger.json'), 'utf8')) as { receipts: unknown[]; flows: unknown[] };
      expect(Array.isArray(doc.receipts) && Array.isArray(doc.flows)).toBe(true);
      expect(readFileSync(path.join(dir, 'manifest.sha256'), 'utf8')).toMatch(/ {2}ledger\.json$/m);
    }
    // each shard's own receipts (as its seats left them), one receipt in both
    const shared = { ...receipt('tokenS00009', '77777777777', 900), scenario: 'EC-PAY-01' };
    writeFileSync(path.join(a, 'ledger.json'), JSON.stringify({ receipts: [{ ...receipt('tokenA00001', '77777777777', 1500), scenario: 'EC-PAY-01' }, shared], flows: [] }));
    writeFileSync(path.join(b, 'ledger.json'), JSON.stringify({ receipts: [shared, { ...receipt('tokenB00002', '77777777777', 2500), scenario: 'EC-PAY-02' }], flows: [] }));
    const rm = await collaudo(['merge', a, b, '--out', m]);
    expect(rm.code, rm.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(path.join(m, 'ledger.json'), 'utf8')) as { receipts: LedgerReceipt[] };
    expect(merged.receipts.map((r) => [r.receiptId, r.scenario]).sort()).toEqual([
      ['tokenA00001', 'EC-PAY-01'],
      ['tokenB00002', 'EC-PAY-02'],
      ['tokenS00009', 'EC-PAY-01'],
    ]);
    expect(readFileSync(path.join(m, 'manifest.sha256'), 'utf8')).toMatch(/ {2}ledger\.json$/m);
  }, 180_000);
});
