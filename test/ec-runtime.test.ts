// The EC seat's runtime: waits that follow from the schedule in force, requests validated before they
// leave, and a candidate that crashes (the scenario that killed it, then INCONCLUSIVE for the rest).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { stringify } from 'yaml';
import { RealClock, isoDate, isoDateTime } from '../src/core/clock.js';
import { ecEnv, type EcContext } from '../seats/ec.js';
import { runScenario } from '../src/core/runner.js';
import { spec, type ScenarioDef } from '../src/core/scenario.js';
import { ReferenceEc } from '../candidates/ec/index.js';
import { deliveryDeadlineMs, type ReceiptData } from '../actors/nodo/index.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { StationHealth } from '../seats/ec-health.js';
import type { JournalEntry } from '../src/core/journal.js';
import { freePort } from './support/net.js';

const ID = { idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01' };
const IBAN = 'IT60X0542811101000000123456';


/** A reference EC on the real clock, certified as an external station (its own URL, real time). */
async function externalStation(listed = 0): Promise<{ ec: ReferenceEc; url: string }> {
  const ec = new ReferenceEc({ clock: new RealClock(), ...ID, companyName: 'Comune di Collaudo', segregationCode: '01', ibans: [IBAN] });
  const { url } = await ec.start();
  // listed notices (prepared beforehand), or provisioning on the station itself
  const payable = Array.from({ length: listed }, () => ec.provision({ state: 'payable', amountCents: 1500 }).noticeNumber);
  const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-ec-runtime-'));
  const file = path.join(dir, 'station.yaml');
  writeFileSync(
    file,
    stringify({
      seat: 'ec',
      name: 'external station',
      ec: { ...ID, auxDigit: 3, segregationCode: '01', stationVersion: 1, ibans: [IBAN] },
      endpoint: { url },
      ...(listed ? { notices: { payable } } : { provisioning: { url: new URL('/provisioning/positions', url).toString() } }),
      harness: { platform: { port: await freePort() } },
    }),
  );
  process.env.COLLAUDO_PROFILE = file;
  return { ec, url };
}

const saved = process.env.COLLAUDO_PROFILE;
beforeEach(() => {
  delete process.env.COLLAUDO_PROFILE;
});
afterAll(() => {
  if (saved === undefined) delete process.env.COLLAUDO_PROFILE;
  else process.env.COLLAUDO_PROFILE = saved;
});

const def = (id: string, run: (t: EcContext) => Promise<void>, o: Partial<ScenarioDef<EcContext>> = {}): ScenarioDef<EcContext> => ({
  id,
  title: id,
  titleIt: id,
  seat: 'ec',
  checks: [spec('answered', ['the station answers a verify', 'the station answers a verify'], 'IF-paVerifyPaymentNotice-F70'), spec('alive', ['the station survives the request', 'the station survives the request'], 'IF-X-18')],
  writes: { payable: 1 },
  run,
  ...o,
});

describe('waits follow from the schedule and timeouts in force', () => {
  it('the delivery deadline: every send\'s timeout and every backoff slot·(2^k−1) on the real clock; only the sends on a virtual one', () => {
    const real = { slotMs: 15_000, timeoutMs: 15_000, virtual: false, realCapMs: 5000 };
    // 5 sends of ≤ 15 s, waits 15 + 45 + 105 + 225 s, one more timeout for the processing around them
    expect(deliveryDeadlineMs(real, 1, 5)).toBe(6 * 15_000 + 390_000);
    // after two sends: sends 3..5 and the waits after sends 3 and 4
    expect(deliveryDeadlineMs(real, 3, 5)).toBe(4 * 15_000 + 105_000 + 225_000);
    expect(deliveryDeadlineMs({ ...real, virtual: true }, 1, 5)).toBe(6 * 5000);
    expect(deliveryDeadlineMs({ ...real, timeoutMs: 2000, virtual: true }, 1, 5)).toBe(6 * 2000);
  });

  it('a receipt the station refuses settles the wait at its answer, without sitting out the retry schedule (real clock)', async () => {
    const { ec } = await externalStation();
    let waited = 0;
    let state = '';
    let attempts = 0;
    const d = def('EC-TEST-RT', async (t) => {
      const unknown = '301990000000000017';
      const receipt: ReceiptData = {
        receiptId: `collaudo${unknown}`, noticeNumber: unknown, fiscalCode: ID.idPA, outcome: 'OK', creditorReferenceId: unknown.slice(1), paymentAmount: 1500,
        description: 'collaudo crafted receipt', companyName: 'Ente di collaudo',
        debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
        transfers: [{ idTransfer: 1, amount: 1500, fiscalCodePA: '00000000018', iban: IBAN, remittanceInformation: 'collaudo', transferCategory: '0101101IM' }],
        idPSP: HARNESS_PSP.idPSP, PSPCompanyName: HARNESS_PSP.companyName, idChannel: HARNESS_PSP.idChannel, channelDescription: 'collaudo', paymentMethod: 'creditCard', fee: 100,
        paymentDateTime: isoDateTime(Date.now()), applicationDate: isoDate(Date.now()), transferDate: isoDate(Date.now()), standIn: false,
      };
      const t0 = Date.now();
      t.nodo.sendReceipt(receipt);
      const r = await t.nodo.waitDelivery(receipt.receiptId, ID.idPA);
      waited = Date.now() - t0;
      state = r.state;
      attempts = r.attempts.length;
      t.check({ id: 'answered', held: true, message: [r.reason ?? '', r.reason ?? ''], entries: t.journal.entries });
    });
    const env = await ecEnv([d]);
    try {
      expect((await runScenario(d, env)).verdict).toBe('PASS');
      expect(state).toBe('pending');
      expect(attempts).toBe(1);
      // the first retry would come 15 s later
      expect(waited).toBeLessThan(5000);
    } finally {
      await env.close();
      await ec.stop();
    }
  });
});

describe('requests sent as valid are validated before they leave', () => {
  it('an activation that cannot be valid (a negative amount) is not sent: INCONCLUSIVE with the reason', async () => {
    const d = def('EC-TEST-XSD', async (t) => {
      const n = await t.ownNotice('payable');
      await t.psp.activate(n, -100);
      t.check({ id: 'answered', held: true, message: ['sent', 'sent'], entries: t.journal.entries });
    });
    const env = await ecEnv([d]);
    try {
      const r = await runScenario(d, env);
      expect(r.verdict).toBe('INCONCLUSIVE');
      expect(r.reason).toMatch(/could not build a valid activatePaymentNotice from the data at hand, so it sent nothing: amount -100 cents has no wire form/);
      expect(r.journal.filter((e) => e.primitive === 'activatePaymentNotice' || e.primitive === 'paGetPayment')).toEqual([]);
    } finally {
      await env.close();
    }
  });

  it('a request the XSD refuses (an amount above 999999999.99) is not sent: INCONCLUSIVE naming the schema error', async () => {
    const d = def('EC-TEST-XSD2', async (t) => {
      const n = await t.ownNotice('payable');
      await t.psp.activate(n, 100_000_000_000);
      t.check({ id: 'answered', held: true, message: ['sent', 'sent'], entries: t.journal.entries });
    });
    const env = await ecEnv([d]);
    try {
      const r = await runScenario(d, env);
      expect(r.verdict).toBe('INCONCLUSIVE');
      expect(r.reason).toMatch(/could not build a valid activatePaymentNotice .*sent nothing: .*amount/);
      expect(r.journal.filter((e) => e.primitive === 'activatePaymentNotice')).toEqual([]);
    } finally {
      await env.close();
    }
  });
});

describe('a candidate that crashes', () => {
  const verifyOnce = async (t: EcContext) => {
    const n = await t.ownNotice('payable');
    await t.psp.verify(n);
    const resp = t.journal.entries.filter((e) => e.from === 'ec' && e.direction === 'response').at(-1);
    t.check({ id: 'answered', held: !!resp && !resp.transport, message: [resp?.transport ?? 'answered', resp?.transport ?? 'answered'], entries: [resp] });
  };

  it('the scenario whose request killed it knows it; every later scenario is INCONCLUSIVE naming it', async () => {
    const { ec } = await externalStation(3);
    const killer = def('EC-TEST-KILL', async (t) => {
      await verifyOnce(t);
      await ec.stop(); // the station dies on this scenario's request
      const n = await t.ownNotice('payable');
      await t.psp.verify(n).catch(() => undefined);
      const last = t.journal.entries.filter((e) => e.from === 'ec' && e.direction === 'response').at(-1);
      const down = await t.probeCandidate();
      t.check({ id: 'alive', held: down !== t.scenarioId, message: [`candidate unreachable since ${down}`, `candidate unreachable since ${down}`], entries: [last] });
    }, { writes: { payable: 2 } });
    const later = def('EC-TEST-LATER', verifyOnce);
    const env = await ecEnv([killer, later]);
    try {
      const k = await runScenario(killer, env);
      expect(k.verdict).toBe('FAIL');
      expect(k.checks.find((c) => c.id === 'alive')!.message).toBe('candidate unreachable since EC-TEST-KILL');
      const l = await runScenario(later!, env);
      expect(l.verdict).toBe('INCONCLUSIVE');
      expect(l.reason).toMatch(/^candidate unreachable since EC-TEST-KILL/);
    } finally {
      await env.close();
    }
  });

  it('a station that dies after answering: the next scenario\'s refused call judges nothing (INCONCLUSIVE), the rest stop at once', async () => {
    const { ec } = await externalStation(3);
    const first = def('EC-TEST-A', verifyOnce);
    const second = def('EC-TEST-B', verifyOnce);
    const third = def('EC-TEST-C', verifyOnce);
    const env = await ecEnv([first, second, third]);
    try {
      expect((await runScenario(first, env)).verdict).toBe('PASS');
      await ec.stop();
      const b = await runScenario(second, env);
      expect(b.verdict).toBe('INCONCLUSIVE');
      expect(b.checks[0]).toMatchObject({ verdict: 'NOT_EXERCISED' });
      expect(b.checks[0]!.message).toMatch(/^candidate unreachable since EC-TEST-A \(refused/);
      const c = await runScenario(third, env);
      expect(c.verdict).toBe('INCONCLUSIVE');
      expect(c.reason).toMatch(/^candidate unreachable since EC-TEST-A/);
      expect(c.journal).toEqual([]);
    } finally {
      await env.close();
    }
  });
});

describe('station health (unit)', () => {
  const url = 'http://127.0.0.1:1/pagopa/paForNode';
  let seq = 0;
  const resp = (transport?: 'refused' | 'reset' | 'timeout', note?: string) =>
    ({ seq: ++seq, at: 0, exchange: seq, direction: 'response', from: 'ec', to: 'nodo', url, raw: '', correlation: {}, transport, note }) as JournalEntry;

  it('one reset (a dropped connection) followed by an answer is not a crash; refused after answering is', () => {
    const h = new StationHealth(url);
    h.observe('S1', resp('refused'));
    expect(h.downSince).toBeUndefined(); // never answered: a preflight matter, not a crash
    h.observe('S1', resp());
    h.observe('S2', resp('reset'));
    h.observe('S2', resp());
    expect(h.downSince).toBeUndefined();
    h.observe('S3', resp('reset'));
    h.observe('S4', resp('refused'));
    // down since the request that reset the connection
    expect(h.downSince).toBe('S3');
    h.observe('S5', resp());
    expect(h.downSince).toBeUndefined();
  });

  it('an injected refusal is the scenario\'s doing, never the station\'s', () => {
    const h = new StationHealth(url);
    h.observe('S1', resp());
    h.observe('S2', resp('refused', 'injected: connection refused'));
    expect(h.downSince).toBeUndefined();
  });

  it('a FAIL resting on a dead connection is told as such in both languages (an untranslated message stays untranslated)', () => {
    const h = new StationHealth(url);
    h.observe('S1', resp());
    h.observe('S2', resp('refused'));
    const dead = resp('refused');
    const check = (messageIt?: string) => ({ id: 'x', title: 'x', requirements: [], level: 'MUST' as const, clause: '', verdict: 'FAIL' as const, message: 'refused: ECONNREFUSED', messageIt, evidence: [], entries: [dead.seq] });
    const [bi, en] = [check('connessione rifiutata: ECONNREFUSED'), check()];
    h.unjudge('S3', [bi, en], [dead]);
    expect(bi).toMatchObject({ verdict: 'NOT_EXERCISED', message: 'candidate unreachable since S1 (refused): refused: ECONNREFUSED' });
    expect(bi.messageIt).toBe('candidato irraggiungibile da S1 (connessione rifiutata): connessione rifiutata: ECONNREFUSED');
    expect(en).toMatchObject({ verdict: 'NOT_EXERCISED', messageIt: undefined });
  });
});

describe('a station that crashes on a hostile request (issue 14 item 8, end to end)', () => {
  it('the scenario whose request killed it FAILs on NM-X-VAL-01 naming the crash; the next is INCONCLUSIVE naming it', async () => {
    const ec = new ReferenceEc({ clock: new RealClock(), ...ID, companyName: 'Comune di Collaudo', segregationCode: '01', ibans: [IBAN] });
    const { url } = await ec.start();
    // the station's process: forwards to the reference EC, and dies (stops listening, drops every
    // connection) on a body that is not XML, as a fragile parser would
    const sockets = new Set<import('node:net').Socket>();
    const station = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (body.startsWith('this is not XML')) {
          station.close();
          for (const s of sockets) s.destroy();
          return;
        }
        const up = http.request(new URL(req.url ?? '/', url), { method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.end(body);
      });
    });
    station.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => station.listen(0, '127.0.0.1', () => r()));
    const stationUrl = `http://127.0.0.1:${(station.address() as import('node:net').AddressInfo).port}${new URL(url).pathname}`;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'collaudo-ec-crash-')), 'station.yaml');
    writeFileSync(
      file,
      stringify({
        seat: 'ec',
        name: 'a fragile station',
        ec: { ...ID, auxDigit: 3, segregationCode: '01', stationVersion: 1, ibans: [IBAN] },
        endpoint: { url: stationUrl },
        provisioning: { url: new URL('/provisioning/positions', url).toString() },
        harness: { platform: { port: await freePort() } },
      }),
    );
    process.env.COLLAUDO_PROFILE = file;
    const { ecScenarios } = await import('../suites/ec/index.js');
    const [first, killer, later] = ['EC-X-04', 'EC-X-05', 'EC-X-07'].map((id) => ecScenarios.find((d) => d.id === id)!);
    const env = await ecEnv([first!, killer!, later!]);
    try {
      const f = await runScenario(first!, env);
      expect(f.verdict, JSON.stringify(f.checks.filter((c) => c.verdict !== 'PASS'))).toBe('PASS');
      const k = await runScenario(killer!, env);
      expect(k.verdict).toBe('FAIL');
      const alive = k.checks.find((c) => c.id === 'alive-after')!;
      expect(alive).toMatchObject({ verdict: 'FAIL', requirements: ['NM-X-VAL-01'] });
      expect(alive.message).toMatch(/stopped answering during EC-X-05/);
      const l = await runScenario(later!, env);
      expect(l.verdict).toBe('INCONCLUSIVE');
      expect(l.reason).toMatch(/^candidate unreachable since EC-X-05/);
    } finally {
      await env.close();
      await ec.stop();
    }
  });
});
