// The old-model Nodo's defect switches: each one turns a behaviour the tests above prove into the
// realistic defect it names, so a Nodo-seat suite has mutants to kill. One assertion per switch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EC, type World, cart, invioRt, keys, rpt, rtOf, world } from './support/old-nodo.js';

let w: World;
beforeAll(async () => {
  w = await world({ defects: ['no-rt-retry', 'accept-duplicate-rt', 'relay-as-nodo', 'no-cart-id-check'] });
});
afterAll(() => w.close());

async function atPsp() {
  const k = keys();
  const r = rpt(k);
  const c = cart(`M${k.iuv}`, [r]);
  const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
  const idSession = new URL(a.result.children.find((x) => x.name === 'url')!.text).searchParams.get('idSession')!;
  await fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: new URLSearchParams({ idSession, azione: 'paga', psp: 'CLLDITMM001|99999000001_01' }), redirect: 'manual' });
  return { k, r };
}

describe('defect switches', () => {
  it('no-cart-id-check: a reused identificativoCarrello is accepted', async () => {
    const k1 = keys();
    const first = cart(`N${k1.iuv}`, [rpt(k1)]);
    await w.pa('nodoInviaCarrelloRPT', first.content, first.header);
    const again = cart(`N${k1.iuv}`, [rpt(keys())]);
    expect((await w.pa('nodoInviaCarrelloRPT', again.content, again.header)).esito).toBe('OK');
  });

  it('accept-duplicate-rt: a second RT for a delivered RPT is delivered again', async () => {
    const { r } = await atPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    await w.pspCall('nodoInviaRT', invioRt(rt));
    expect((await w.pspCall('nodoInviaRT', invioRt(rt))).esito).toBe('OK');
  });

  it('relay-as-nodo: an EC KO comes back as the Nodo’s own, without original fields', async () => {
    const { r } = await atPsp();
    w.ec.script.paaInviaRT = () => ({ ko: { faultCode: 'PAA_SEMANTICA', id: EC } });
    try {
      const a = await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())));
      expect(a.fault).toMatchObject({ faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', id: 'NodoDeiPagamentiSPC', originalFaultCode: undefined });
    } finally {
      delete w.ec.script.paaInviaRT;
    }
  });

  it('no-rt-retry: an RT the station could not take is parked after one send', async () => {
    const { k, r } = await atPsp();
    const station = w.reg.stations[0]!;
    const before = station.old!.paPerNodo;
    station.old!.paPerNodo = 'http://127.0.0.1:9/PaPerNodo';
    try {
      await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())));
      const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
      expect([d.state, d.attempts.length]).toEqual(['parked', 1]);
    } finally {
      station.old!.paPerNodo = before;
    }
  });
});
