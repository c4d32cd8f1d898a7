// The reference EC's reconciliation against hostile input: its trigger hook refuses a request it cannot
// serve with 400 naming why; a Nodo answering garbage (not XML, HTTP 500, a download that is not a
// flow, JSON that is not a page) ends the round with nothing booked and nothing thrown; a line for a
// position the EC does not hold is booked as unmatched. The seat's FdR 3 server answers with no scenario bound.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FC, ec, useSharedEc } from './support/ec-reference.js';
import { EcFdr } from '../seats/ec-fdr.js';
import { VirtualClock } from '../src/core/clock.js';
import type { Profile } from '../src/profile/index.js';
import { flowXml } from '../domain/fdr/document.js';

useSharedEc();

async function hostile(answer: (path: string) => { status: number; type: string; body: string }): Promise<{ url: string; close: () => Promise<void>; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      const a = answer(req.url ?? '/');
      res.writeHead(a.status, { 'content-type': a.type });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits: () => hits, close: () => new Promise((r) => server.close(() => r())) };
}

const trigger = (params: unknown) =>
  fetch(`${ec.baseUrl}/collaudo/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contract: 'collaudo-trigger/1', requestId: 'r1', scenarioId: 'EC-FDR-01', seat: 'ec', action: 'fdr-reconcile', fiscalCode: FC, deadline: new Date().toISOString(), deadlineMs: 1000, params }),
  });

const soapAnswer = (op: string, inner: string) =>
  `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ppt="http://ws.pagamenti.telematici.gov/"><soapenv:Body><ppt:${op}Risposta>${inner}</ppt:${op}Risposta></soapenv:Body></soapenv:Envelope>`;

describe('the reference EC reconciliation, hostile input', () => {
  it('the trigger hook refuses fdr-reconcile without a URL to read, or with params the contract refuses, with 400 naming why', async () => {
    const none = await trigger({ model: 'new' });
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(/soapUrl|restUrl/);
    const bad = await trigger({ model: 'new', soapUrl: 'ftp://nodo' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/params|soapUrl|pattern/i);
  });

  it('a Nodo answering garbage ends the round: nothing booked, nothing thrown', async () => {
    const before = ec.fdr.readBack(FC).lines.length;
    for (const body of ['not xml at all', '<html>500</html>', '{"data": "not a page"']) {
      const h = await hostile(() => ({ status: body.startsWith('<html') ? 500 : 200, type: 'text/xml', body }));
      try {
        await ec.fdr.round({ model: 'new', fiscalCode: FC, soapUrl: `${h.url}/nodeForPa`, restUrl: `${h.url}/fdr-org/service/v1` });
        expect(h.hits()).toBeGreaterThan(0);
      } finally {
        await h.close();
      }
    }
    expect(ec.fdr.readBack(FC).lines.length).toBe(before);
  });

  it('a listed flow whose download is not a FlussoRiversamento is not booked; a line of an unknown IUV is booked unmatched', async () => {
    const good = flowXml({
      flowId: '2026-01-05CLLDITMM001-h1', flowDate: '2026-01-05T10:00:00', idPSP: 'CLLDITMM001', sender: { idType: 'B', id: 'CLLDITMMXXX', name: 'Collaudo Test PSP' }, ecFiscalCode: FC, receiver: { idType: 'G', id: FC, name: 'Comune' },
      regulationId: 'SCT-h1', regulationDate: '2026-01-05', totalCount: 1, totalCents: 100, lines: [{ iuv: '09999999999999999', iur: 'IURH1', idTransfer: 1, amountCents: 100, outcomeCode: '9', date: '2026-01-05' }],
    });
    const docs: Record<string, string> = { '2026-01-05CLLDITMM001-bad': Buffer.from('<x>not a flow</x>').toString('base64'), '2026-01-05CLLDITMM001-nob64': '%%%', '2026-01-05CLLDITMM001-h1': Buffer.from(good).toString('base64') };
    let asked = '';
    const h = await hostile(() => {
      const list = `<elencoFlussiRendicontazione><totRestituiti>3</totRestituiti>${Object.keys(docs).map((id) => `<idRendicontazione><identificativoFlusso>${id}</identificativoFlusso><dataOraFlusso>2026-01-05T10:00:00</dataOraFlusso></idRendicontazione>`).join('')}</elencoFlussiRendicontazione>`;
      if (!asked) {
        asked = 'list';
        return { status: 200, type: 'text/xml', body: soapAnswer('nodoChiediElencoFlussiRendicontazione', list) };
      }
      const id = Object.keys(docs)[['list', 'a', 'b'].indexOf(asked)]!;
      asked = asked === 'list' ? 'a' : asked === 'a' ? 'b' : 'c';
      return { status: 200, type: 'text/xml', body: soapAnswer('nodoChiediFlussoRendicontazione', `<xmlRendicontazione>${docs[id]}</xmlRendicontazione>`) };
    });
    try {
      await ec.fdr.round({ model: 'new', fiscalCode: FC, soapUrl: `${h.url}/nodeForPa` });
      expect(h.hits()).toBe(4);
    } finally {
      await h.close();
    }
    const lines = ec.fdr.readBack(FC).lines.filter((l) => l.flowId.startsWith('2026-01-05CLLDITMM001-'));
    expect(lines.map((l) => [l.flowId, l.iur, l.status])).toEqual([['2026-01-05CLLDITMM001-h1', 'IURH1', 'unmatched']]);
  });

  it('the read-back answers JSON {lines} for one EC, or for all', async () => {
    const r = await fetch(`${ec.baseUrl}/collaudo/reconciliation?fiscalCode=${FC}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { lines: { ecFiscalCode: string }[] };
    expect(Array.isArray(body.lines)).toBe(true);
    expect(body.lines.every((l) => l.ecFiscalCode === FC)).toBe(true);
  });

  it("the seat's FdR 3 server answers an organisation read with no scenario bound (an FDR error, never a crash)", async () => {
    const fdr = new EcFdr(new VirtualClock(), { seat: 'ec', name: 't', ec: { idPA: FC, idBrokerPA: 'b', idStation: 's', auxDigit: 3 }, endpoint: { url: 'embedded:reference-ec' } } as Profile);
    await fdr.start();
    try {
      const r = await fetch(`${fdr.organizationUrl}/organizations/${FC}/fdrs`);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(((await r.json()) as { appErrorCode?: string }).appErrorCode).toMatch(/^FDR-/);
    } finally {
      await fdr.stop();
    }
  });

  it('fdr.dayMs compresses the calendar the harness dates its flows on (from fdr.originDay when given); without it, the clock\'s own days', async () => {
    const clock = new VirtualClock();
    const base = { seat: 'ec', name: 't', ec: { idPA: FC, idBrokerPA: 'b', idStation: 's', auxDigit: 3 }, endpoint: { url: 'embedded:reference-ec' } } as Profile;
    const day0 = new Date(clock.now()).toISOString().slice(0, 10);
    const compressed = new EcFdr(clock, { ...base, fdr: { dayMs: 60_000 } });
    const fromOrigin = new EcFdr(clock, { ...base, fdr: { dayMs: 60_000, originDay: '2026-12-07' } });
    expect([fromOrigin.dayOf(clock.now()), fromOrigin.dayOf(clock.now() + 60_000 + 1)]).toEqual(['2026-12-07', '2026-12-08']);
    const plain = new EcFdr(clock, base);
    expect(compressed.dayOf(clock.now())).toBe(day0);
    const d2 = new Date(Date.parse(`${day0}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(compressed.dayOf(clock.now() + 2 * 60_000 + 1)).toBe(d2);
    expect(plain.days).toBeUndefined();
    expect(plain.dayOf(clock.now() + 2 * 60_000 + 1)).toBe(new Date(clock.now() + 120_001).toISOString().slice(0, 10));
  });
});

describe('profile: reconciliation', () => {
  it('a read-back that is not a URL is refused naming the field', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadProfile } = await import('../src/profile/index.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'fdr-profile-'));
    const write = (readBack: string, url: string) => {
      const f = path.join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(f, `seat: ec\nname: t\nec: { idPA: "77777777777", idBrokerPA: "15376371009", idStation: "15376371009_01", auxDigit: 3, segregationCode: "01" }\nendpoint: { url: ${url} }\nharness: { platform: { port: 18080 } }\nfdr: { readBack: "${readBack}", dayMs: 60000 }\n`);
      return f;
    };
    expect(() => loadProfile(write('ftp://x', 'embedded:reference-ec'))).toThrow(/fdr\.readBack: "ftp:\/\/x" is not an http\(s\) URL/);
    expect(loadProfile(write('https://ec.example.it/readback', 'https://ec.example.it/pa')).profile.fdr?.dayMs).toBe(60000);
  });
});

describe('seat wiring: one FlowStore per run', () => {
  it("the new model's per-scenario Nodos, the old model's Nodo and the FdR 3 server read one store", async () => {
    const { REFERENCE_EC_PROFILE, startEcParts, ecEnv } = await import('../seats/ec.js');
    const { ecOldEnv } = await import('../seats/ec-old.js');
    const { loadProfile } = await import('../src/profile/index.js');
    const parts = await startEcParts(loadProfile(REFERENCE_EC_PROFILE).profile);
    const def = { id: 'EC-FDR-99', title: 't', titleIt: 't', seat: 'ec' as const, checks: [], run: async () => undefined };
    const oldDef = { ...def, id: 'EC-OLD-FDR-99', model: 'old' };
    const env = await ecEnv([def], undefined, parts);
    const oldEnv = await ecOldEnv([oldDef], undefined, parts);
    try {
      const a = await env.open(def);
      const b = await env.open(def);
      const o = await oldEnv.open(oldDef);
      expect(a.ctx.nodo.flows).toBe(parts.fdr.flows);
      expect(b.ctx.nodo.flows).toBe(parts.fdr.flows);
      expect(o.ctx.nodo.flows).toBe(parts.fdr.flows);
      expect(a.ctx.fdr).toBe(parts.fdr);
      // what one publishes, the others offer: a flow on the store is listed by the FdR 3 server
      const res = await fetch(`${parts.fdr.organizationUrl}/organizations/${a.ctx.station.idPA}/fdrs`);
      expect(res.status).toBe(200);
      await a.close();
      await b.close();
      await o.close();
    } finally {
      await env.close();
      await oldEnv.close();
      await parts.stop();
    }
  }, 60_000);
});
