// Each defect switch of the old-model reference EC changes the observable behaviour it names: the
// same observation (on the wire to the stub Nodo, in a station answer, or on a portal page) gives the
// reference EC's value on the reference EC and another value on the mutant. The list names only
// OLD-* ids with an ec level in the index.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { describe, expect, it } from 'vitest';
import { OLD_RPT_AFTER_ACTIVATION_MS } from '../domain/timeouts.js';
import { type Rt, documentHash, rtXml, toBase64 } from '../domain/old/index.js';
import { OLD_EC_DEFECTS, OLD_EC_DEFECT_IDS, type OldEcDefect } from '../candidates/ec/old/defects.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { textOf, pathText } from '../src/wire/xml.js';
import { tassaAutoData } from '../candidates/ec/services.js';
import { BROKER, FC, PASSWORD, PSP, STATION, StubNodo, attivaBody, callStation, clock, erB64, paidAttempt, position, ppt, rrB64, rtB64, rtOf, startEc, trigger, triggerRequest } from './ec-old-support.js';

type Env = { ec: ReferenceEc; nodo: StubNodo };
/** a payer's account under a manleva (valid ISO 13616 check digits) */
const MANLEVA_IBAN = 'IT39U0300203280000400162854';
const verifica = (e: Env, iuv: string, over = {}) => callStation(e.ec, 'paaVerificaRPT', { identificativoPSP: PSP.identificativoPSP }, ppt(iuv, 'n/a', FC, over));
const attiva = (e: Env, iuv: string, amount: string, ccp: string) => callStation(e.ec, 'paaAttivaRPT', attivaBody(amount), ppt(iuv, ccp));
const code = (r: { esito?: string; fault?: { faultCode: string } }) => r.fault?.faultCode ?? r.esito;

/** An activation and the RPT it produced (or undefined when none came). */
async function activatedRpt(e: Env, ccp: string) {
  const p = position(e.ec);
  const start = clock.now();
  await attiva(e, p.iuv, '120.50', ccp);
  await e.ec.old.idle();
  const call = e.nodo.of('nodoInviaRPT').find((c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv);
  return { p, start, call, rpt: call?.rpts[0] };
}

async function returnPage(e: Env, esito: string) {
  await trigger(e.ec, triggerRequest('old-cart', { amountsCents: [1000] }));
  await e.ec.old.idle();
  const idSession = `SESS${e.nodo.session}`;
  const r = await fetch(`${e.ec.baseUrl}/old/ritorno?idDominio=${FC}&idSession=${idSession}&esito=${esito}`);
  return { status: r.status, text: await r.text() };
}

/** The ibanAddebito of the RPT of a cart asked for a payer with a manleva (L1529). */
async function ibanAddebitoOfManleva(e: Env) {
  await trigger(e.ec, triggerRequest('old-cart', { amountsCents: [1000], ibanAddebito: MANLEVA_IBAN }));
  await e.ec.old.idle();
  return e.nodo.of('nodoInviaCarrelloRPT').at(-1)?.rpts[0]?.datiVersamento.ibanAddebito ?? 'none';
}

async function storno(e: Env) {
  const { iuv } = await paidAttempt(e.ec, e.nodo, 'CCPD1');
  await trigger(e.ec, triggerRequest('old-storno', { iuv, ccp: 'CCPD1' }));
  await e.ec.old.idle();
  return { iuv, call: e.nodo.of('nodoInviaRichiestaStorno').at(-1)! };
}
const esitoStorno = (e: Env, iuv: string, er: string) =>
  callStation(e.ec, 'paaInviaEsitoStorno', { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: 'CCPD1', er });
const revoca = (e: Env, iuv: string, ccp: string, rr: string) => callStation(e.ec, 'paaInviaRichiestaRevoca', { identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, rr });

/** The stamp credit of the RPT an old-cart with params.stamp sends. */
async function stampCredit(e: Env) {
  await trigger(e.ec, triggerRequest('old-cart', { stamp: { document: 'Istanza di collaudo', provinciaResidenza: 'MI' } }));
  await e.ec.old.idle();
  return e.nodo.of('nodoInviaCarrelloRPT').at(-1)?.rpts[0]?.datiVersamento.datiSingoloVersamento[0];
}

/** A multi-beneficiary cart of the EC's own position and a secondary EC's, as the stub Nodo got it. */
async function mbCart(e: Env) {
  await trigger(e.ec, triggerRequest('old-cart', { multiBeneficiary: true, amountsCents: [1000, 2000] }));
  await e.ec.old.idle();
  return e.nodo.of('nodoInviaCarrelloRPT').at(-1)!;
}

/** paaChiediNumeroAvviso with service data (base64); the IUV and amount it answers. */
async function numeroAvviso(e: Env, data: string) {
  const r = await callStation(e.ec, 'paaChiediNumeroAvviso', { identificativoPSP: PSP.identificativoPSP, datiSpecificiServizio: data }, { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: FC });
  return { ...r, iuv: r.result && pathText(r.result, 'numeroAvviso', 'IUV'), amount: r.result && pathText(r.result, 'datiPagamentoPA', 'importoSingoloVersamento') };
}

/** Per defect: the observation and what the reference EC shows. */
const OBSERVE: Record<OldEcDefect, { reference: unknown; observe: (e: Env) => Promise<unknown> }> = {
  'old-paid-as-unknown': { reference: 'PAA_PAGAMENTO_DUPLICATO', observe: async (e) => code(await verifica(e, position(e.ec, 'paid').iuv)) },
  'old-in-progress-ignored': { reference: 'PAA_PAGAMENTO_IN_CORSO', observe: async (e) => code(await verifica(e, position(e.ec, 'in-progress').iuv)) },
  'old-expired-as-unknown': { reference: 'PAA_PAGAMENTO_SCADUTO', observe: async (e) => code(await verifica(e, position(e.ec, 'expired').iuv)) },
  'old-cancelled-as-expired': { reference: 'PAA_PAGAMENTO_ANNULLATO', observe: async (e) => code(await verifica(e, position(e.ec, 'cancelled').iuv)) },
  'old-verify-locks': {
    reference: 'OK',
    observe: async (e) => {
      const p = position(e.ec);
      await verifica(e, p.iuv);
      return code(await attiva(e, p.iuv, '120.50', 'CCPVL'));
    },
  },
  'old-amount-mismatch-ok': { reference: 'PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', observe: async (e) => code(await attiva(e, position(e.ec).iuv, '1.00', 'CCPAM')) },
  'old-importo-without-amount': { reference: '120.50', observe: async (e) => pathText((await attiva(e, position(e.ec).iuv, '1.00', 'CCPIA')).result, 'datiPagamentoPA', 'importoSingoloVersamento') ?? 'none' },
  'old-rpt-never-sent': { reference: true, observe: async (e) => (await activatedRpt(e, 'CCPNS')).call !== undefined },
  'old-rpt-late': {
    reference: true,
    observe: async (e) => {
      const { call, start } = await activatedRpt(e, 'CCPLATE');
      return call !== undefined && call.at - start <= OLD_RPT_AFTER_ACTIVATION_MS;
    },
  },
  'old-rpt-wrong-ccp': { reference: 'CCPWC', observe: async (e) => (await activatedRpt(e, 'CCPWC')).rpt?.datiVersamento.codiceContestoPagamento },
  'old-rpt-amount-differs': { reference: 12050, observe: async (e) => (await activatedRpt(e, 'CCPAD')).rpt?.datiVersamento.importoTotaleDaVersare },
  'old-rpt-not-po': { reference: 'PO', observe: async (e) => (await activatedRpt(e, 'CCPPO')).rpt?.datiVersamento.tipoVersamento },
  'old-cart-over-5': {
    reference: [5, true],
    observe: async (e) => {
      await trigger(e.ec, triggerRequest('old-cart', { amountsCents: [100, 200, 300, 400, 500] }));
      await e.ec.old.idle();
      const c = e.nodo.of('nodoInviaCarrelloRPT').at(-1)!;
      return [c.rpts.length, c.xsdValid];
    },
  },
  'old-cart-id-reused': {
    reference: true,
    observe: async (e) => {
      for (const a of [100, 200]) await trigger(e.ec, triggerRequest('old-cart', { amountsCents: [a] }));
      await e.ec.old.idle();
      const ids = e.nodo.of('nodoInviaCarrelloRPT').map((c) => textOf(c.header, 'identificativoCarrello'));
      return new Set(ids).size === ids.length;
    },
  },
  'old-rt-duplicate-accepted': {
    reference: 'PAA_RT_DUPLICATA',
    observe: async (e) => {
      const { iuv, rt } = await paidAttempt(e.ec, e.nodo, 'CCPDUP');
      return code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt: toBase64(rtXml(rt)) }, ppt(iuv, 'CCPDUP')));
    },
  },
  'old-rt-leaves-open': {
    reference: 'PAA_PAGAMENTO_DUPLICATO',
    observe: async (e) => code(await verifica(e, (await paidAttempt(e.ec, e.nodo, 'CCPOPEN')).iuv)),
  },
  'old-rt-unknown-accepted': {
    reference: 'PAA_RPT_SCONOSCIUTA',
    observe: async (e) => {
      const { rpt } = await paidAttempt(e.ec, e.nodo, 'CCPUNK');
      const other = rtOf(rpt);
      other.datiPagamento.CodiceContestoPagamento = 'CCPNEVER';
      return code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt: toBase64(rtXml(other)) }, ppt(rpt.datiVersamento.identificativoUnivocoVersamento, 'CCPNEVER')));
    },
  },
  'old-rt-mismatch-accepted': {
    reference: 'PAA_SEMANTICA',
    observe: async (e) => {
      const { p, rpt } = await activatedRpt(e, 'CCPMIS');
      const rt = rtB64(rpt!, 'positive', (x) => void ((x.datiPagamento.importoTotalePagato = 100), (x.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato = 100)));
      return code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt }, ppt(p.iuv, 'CCPMIS')));
    },
  },
  'old-semantic-as-system-error': {
    reference: 'PAA_SEMANTICA',
    observe: async (e) => {
      const { p, rpt } = await activatedRpt(e, 'CCPSYS');
      const rt = rtB64(rpt!, 'positive', (x) => void (x.riferimentoMessaggioRichiesta = 'NOTTHERPT'));
      return code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt }, ppt(p.iuv, 'CCPSYS')));
    },
  },
  'old-fault-id-broker': { reference: FC, observe: async (e) => (await verifica(e, '01999999999999999')).fault?.id },
  'old-no-self-check': { reference: 'PAA_STAZIONE_INT_ERRATA', observe: async (e) => code(await verifica(e, position(e.ec).iuv, { identificativoStazioneIntermediarioPA: 'OTHER_01' })) },
  'old-rr-duplicate-accepted': {
    reference: 'PAA_RR_DUPLICATA',
    observe: async (e) => {
      const { iuv, rt } = await paidAttempt(e.ec, e.nodo, 'CCPRR');
      await revoca(e, iuv, 'CCPRR', rrB64(rt, '1'));
      return code(await revoca(e, iuv, 'CCPRR', rrB64(rt, '1')));
    },
  },
  'old-er-wrong-outcome': {
    reference: 12050,
    observe: async (e) => {
      const { iuv, rt } = await paidAttempt(e.ec, e.nodo, 'CCPER');
      await revoca(e, iuv, 'CCPER', rrB64(rt, '1'));
      await e.ec.old.idle();
      return e.nodo.of('nodoInviaRispostaRevoca').at(-1)?.er?.datiRevoca.importoTotaleRevocato;
    },
  },
  'old-revoca-no-er': {
    reference: 1,
    observe: async (e) => {
      const { iuv, rt } = await paidAttempt(e.ec, e.nodo, 'CCPNOER');
      await revoca(e, iuv, 'CCPNOER', rrB64(rt, '1'));
      await e.ec.old.idle();
      return e.nodo.of('nodoInviaRispostaRevoca').length;
    },
  },
  'old-er-duplicate-accepted': {
    reference: 'PAA_ER_DUPLICATA',
    observe: async (e) => {
      const { iuv, call } = await storno(e);
      const er = erB64(call.rr!);
      await esitoStorno(e, iuv, er);
      return code(await esitoStorno(e, iuv, er));
    },
  },
  'old-storno-tipo-revoca': { reference: 'none', observe: async (e) => (await storno(e)).call.rr?.datiRevoca.tipoRevoca ?? 'none' },
  'old-return-crash-differito': { reference: 200, observe: async (e) => (await returnPage(e, 'DIFFERITO')).status },
  'old-return-error-as-success': { reference: 'Pagamento non eseguito', observe: async (e) => /<h1>([^<]+)<\/h1>/.exec((await returnPage(e, 'ERROR')).text)?.[1] },
  'old-stamp-iban': { reference: [true, undefined], observe: async (e) => stampCredit(e).then((s) => [!!s?.datiMarcaBolloDigitale, s?.ibanAccredito]) },
  'old-stamp-hash-hex': { reference: documentHash('Istanza di collaudo'), observe: async (e) => (await stampCredit(e))?.datiMarcaBolloDigitale?.hashDocumento },
  'old-stamp-amount': { reference: 1600, observe: async (e) => (await stampCredit(e))?.importoSingoloVersamento },
  'old-stamp-rt-refused': {
    reference: 'OK',
    observe: async (e) => {
      await stampCredit(e);
      const rpt = e.nodo.of('nodoInviaCarrelloRPT').at(-1)!.rpts[0]!;
      const rt = rtB64(rpt, 'positive', (r) => (r.datiPagamento.datiSingoloPagamento![0]!.allegatoRicevuta = { tipoAllegatoRicevuta: 'BD', testoAllegato: toBase64('<marcaDaBollo/>') }));
      return code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt }, ppt(rpt.datiVersamento.identificativoUnivocoVersamento, rpt.datiVersamento.codiceContestoPagamento)));
    },
  },
  'old-mb-iur-seen-refused': {
    // one debit: both RTs of the cart carry the same IUR (L571)
    reference: ['OK', 'OK'],
    observe: async (e) => {
      const oneIur = (rt: Rt) => rt.datiPagamento.datiSingoloPagamento?.forEach((s) => (s.identificativoUnivocoRiscossione = 'IURUNICOADDEBITO01'));
      const out: unknown[] = [];
      for (const rpt of (await mbCart(e)).rpts) {
        const dv = rpt.datiVersamento;
        out.push(code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt: rtB64(rpt, 'positive', oneIur) }, ppt(dv.identificativoUnivocoVersamento, dv.codiceContestoPagamento, rpt.dominio.identificativoDominio))));
      }
      return out;
    },
  },
  'old-mb-flag-missing': { reference: 'true', observe: async (e) => textOf((await mbCart(e)).body, 'multiBeneficiario') ?? 'absent' },
  'old-mb-cart-id-classic': { reference: true, observe: async (e) => /^\d{29}-\d{5}$/.test(textOf((await mbCart(e)).header, 'identificativoCarrello') ?? '') },
  'old-manleva-no-iban-addebito': { reference: MANLEVA_IBAN, observe: ibanAddebitoOfManleva },
  'old-manleva-own-iban': { reference: MANLEVA_IBAN, observe: ibanAddebitoOfManleva },
  'old-differito-as-failed': {
    reference: 'OK',
    observe: async (e) => {
      await returnPage(e, 'DIFFERITO');
      const rpt = e.nodo.of('nodoInviaCarrelloRPT').at(-1)!.rpts[0]!;
      return code(await callStation(e.ec, 'paaInviaRT', { tipoFirma: '0', rt: rtB64(rpt) }, ppt(rpt.datiVersamento.identificativoUnivocoVersamento, rpt.datiVersamento.codiceContestoPagamento)));
    },
  },
  'old-spont-same-iuv': {
    reference: true,
    observe: async (e) => {
      const a = await numeroAvviso(e, tassaAutoData('AB123CD'));
      const b = await numeroAvviso(e, tassaAutoData('AB124CD'));
      return !!a.iuv && !!b.iuv && a.iuv !== b.iuv;
    },
  },
  'old-spont-not-activatable': {
    reference: 'OK',
    observe: async (e) => {
      const n = await numeroAvviso(e, tassaAutoData('CD123EF'));
      return code(await attiva(e, n.iuv ?? '', n.amount ?? '', 'CCPSP1'));
    },
  },
  'old-spont-unknown-ok': { reference: 'PAA_SEMANTICA', observe: async (e) => code(await numeroAvviso(e, Buffer.from('<x:bollo xmlns:x="urn:nessun-servizio"><x:targa>AB123CD</x:targa></x:bollo>').toString('base64'))) },
};

async function run(defects: OldEcDefect[], observe: (e: Env) => Promise<unknown>): Promise<unknown> {
  clock.advance(5000); // a new EC numbers its notices from the clock: never the previous one's
  const nodo = new StubNodo();
  const url = await nodo.start();
  const ec = await startEc(defects);
  ec.useNodo({ url, password: PASSWORD });
  try {
    return await observe({ ec, nodo });
  } finally {
    await ec.old.idle();
    await ec.stop();
    await nodo.stop();
  }
}

describe('old-model defect switches', () => {
  it('are at least 20, each with a description and OLD-* ids that have an ec level in the index', () => {
    expect(OLD_EC_DEFECTS.length).toBeGreaterThanOrEqual(20);
    expect(OLD_EC_DEFECTS.map((d) => d.id).sort()).toEqual([...OLD_EC_DEFECT_IDS].sort());
    expect(Object.keys(OBSERVE).sort()).toEqual([...OLD_EC_DEFECT_IDS].sort());
    const indexFile = path.join(process.env.COLLAUDO_SHARED_SPEC ?? path.resolve(PACKAGE_ROOT, '../shared/spec'), 'index-old-model.json');
    const index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, { levels?: { ec?: string } }>) : undefined;
    if (!index) console.log(`${indexFile} not found (set COLLAUDO_SHARED_SPEC): the catches ids are checked for their form only, not against their ec level`);
    for (const d of OLD_EC_DEFECTS) {
      expect(d.description.length).toBeGreaterThan(20);
      expect(d.catches.length).toBeGreaterThan(0);
      for (const id of d.catches) {
        expect(id).toMatch(/^OLD-[A-Z]+(-[A-Z0-9]+)+$/);
        if (index) expect(index[id]?.levels?.ec, `${d.id}: ${id} has an ec level`).toBeTruthy();
      }
    }
  });
  it.each(OLD_EC_DEFECT_IDS.map((d) => [d] as const))('%s changes what it names', async (id) => {
    const o = OBSERVE[id];
    expect(await run([], o.observe)).toEqual(o.reference);
    expect(await run([id], o.observe)).not.toEqual(o.reference);
  });
});
