// The old-model reference EC's portal in a real headless browser (Debian chromium through
// actors/payer, JavaScript off), with the real old-model Nodo and the emulated PSP: the payer ticks a
// position on the portal (by its label) and presses "Paga" → WISP → the PSP's page → pays or cancels →
// back on the EC's return page, which states the outcome in words; the EC has booked the RT.
// Without a system browser the test is skipped with the reason the harness reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Payer, findBrowser } from '../actors/payer/index.js';
import { OldNodo } from '../actors/nodo/old/index.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { OLD_DEFAULT_TIMEOUTS } from '../domain/timeouts.js';
import { type Registry, harnessPspEntries } from '../domain/registry.js';
import { Journal } from '../src/core/journal.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { BROKER, FC, PASSWORD, STATION, clock, startEc } from './ec-old-support.js';
import { BANK, BANK2, POSTAL } from './support/ec-reference.js';

const found = findBrowser();
if ('reason' in found) console.warn(`the old-model portal in the browser skipped: ${found.reason}`);
/** a browser step may take at most one PSP call and one RT delivery of the Nodo (a page's work) */
const STEP_MS = OLD_DEFAULT_TIMEOUTS.psp + OLD_DEFAULT_TIMEOUTS.paaInviaRT;

let ec: ReferenceEc;
let nodo: OldNodo;
let psp: OldPsp;
let payer: Payer;

beforeAll(async () => {
  if ('reason' in found) return;
  ec = await startEc();
  const reg: Registry = {
    ecs: [{ fiscalCode: FC, companyName: 'Comune di Collaudo', enabled: true, ibans: [BANK, BANK2, POSTAL], stations: [{ idStation: STATION, auxDigit: 3, code: '01' }] }],
    brokersPa: [{ idBrokerPA: BROKER, enabled: true }],
    stations: [{ idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url: ec.url, version: 1, password: PASSWORD, old: { paPerNodo: ec.oldUrls.paPerNodo, paPerNodoPagamentoPsp: ec.oldUrls.paPerNodoPagamentoPsp, returnUrl: ec.oldReturnUrl } }],
    ...harnessPspEntries(),
  };
  nodo = new OldNodo({ clock, registry: reg, host: '127.0.0.1', port: 0 });
  await nodo.start();
  ec.useNodo({ url: nodo.urls.nodoPerPa, password: PASSWORD });
  psp = new OldPsp({ clock, nodoUrl: nodo.urls.nodoPerPsp, returnUrl: nodo.urls.wispReturn, journalInbound: false });
  const urls = await psp.start();
  Object.assign(reg.channels[0]!, { pspPerNodoUrl: urls.pspPerNodoUrl, redirectUrl: urls.paymentPageUrl });
  payer = new Payer();
}, 60_000);
afterAll(async () => {
  if ('reason' in found) return;
  await payer.close();
  await ec.old.idle();
  await psp.stop();
  await ec.stop();
  await nodo.stop();
});

describe.runIf(!('reason' in found))('the old-model portal in a headless browser', () => {
  for (const [action, words, state] of [['pay', 'Pagamento eseguito', 'paid'], ['cancel', 'Pagamento non eseguito', 'payable']] as const) {
    it(`the payer ticks a position, presses Paga, ${action === 'pay' ? 'pays' : 'cancels'} at the PSP: the return page says "${words}"`, async () => {
      const p = ec.provision({ state: 'payable', amountCents: 2300, description: `Tassa ${action}` });
      const label = `Tassa ${action}: 23,00 € (IUV ${p.iuv}, Comune di Collaudo)`;
      payer.bind({ journal: new Journal(clock), parties: { [nodo.urls.base]: 'nodo', [ec.baseUrl]: 'ec' } });
      try {
        const portal = await payer.open(`${ec.baseUrl}/old/portale`, STEP_MS);
        expect(portal.problem).toBeUndefined();
        expect([portal.final?.lang, portal.final?.scripts, portal.final?.foreignResources ?? []]).toEqual(['it', 0, []]);
        const atWisp = await payer.choosePsp(label, STEP_MS);
        expect(atWisp.problem).toBeUndefined();
        expect(atWisp.final?.url.startsWith(nodo.urls.base)).toBe(true);
        expect((await payer.choosePsp(HARNESS_PSP.idPSP, STEP_MS)).problem).toBeUndefined();
        const done = action === 'pay' ? await payer.pay(STEP_MS) : await payer.cancel(STEP_MS);
        expect(done.problem).toBeUndefined();
        const back = await payer.followUntil((hop) => hop.url.startsWith(ec.oldReturnUrl), STEP_MS);
        expect(back.problem).toBeUndefined();
        const ccp = ec.old.apa.attemptsOf(FC, p.iuv)[0]!.ccp;
        expect((await nodo.waitDelivery(FC, p.iuv, ccp)).state).toBe('delivered');
        const page = back.final?.url.startsWith(ec.oldReturnUrl) ? back.final : (await payer.history()).reverse().find((h) => h.url.startsWith(ec.oldReturnUrl) && h.text);
        expect(page?.status).toBe(200);
        expect(page?.text).toContain(words);
        expect(page?.text).toContain(p.iuv);
        expect(ec.old.apa.position(FC, p.iuv)?.state).toBe(state);
      } finally {
        payer.bind(undefined);
      }
    }, 120_000);
  }
});
