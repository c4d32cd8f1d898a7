// Spontaneous payments at the PSP (catalogue §3.3): service catalogue, demandPaymentNotice, then an
// activation with exactly the qrCode returned, then the outcome.
import { randomBytes } from 'node:crypto';
import { type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import { CAR_TAX_SERVICE } from '../../domain/harness-parties.js';
import { ko } from '../../src/wire/soap.js';
import { child, textOf } from '../../src/wire/xml.js';
import { nodoFault } from '../../actors/nodo/index.js';
import { UNKNOWN_PLATE, tassaAutoData } from '../../domain/services.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkOutcomeInTime, checkReport, outcomeSpecs, reportSpecs, runPay } from './lib.js';
import { WIRE_SPECS, judgeWire } from './wire.js';

type S = ScenarioDef<PspContext>;

/** the service data builders give base64; the trigger contract carries the XML itself */
const xmlOf = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const plate = () => `CO${Array.from(randomBytes(5), (b) => 'ABCDEFGHJKLMNPRSTVWXYZ0123456789'[b % 32]).join('')}`;

async function paySpontaneous(t: PspContext, data: string) {
  const ref = t.freshNotice();
  return runPay(
    t,
    { action: 'pay-spontaneous', fiscalCode: t.ecFiscalCode, noticeNumber: ref.noticeNumber, spontaneous: { idServizio: CAR_TAX_SERVICE.idServizio, idSoggettoServizio: CAR_TAX_SERVICE.idSoggettoServizio, datiSpecificiServizio: data } },
    ['demandPaymentNotice'],
  );
}

export const spontaneousScenarios: S[] = [
  {
    id: 'PSP-SPONT-01',
    title: 'Service catalogue: nodoChiediCatalogoServiziV2 with the legacy caller fields',
    titleIt: 'Catalogo dei servizi: nodoChiediCatalogoServiziV2 con i campi chiamante storici',
    seat: 'psp',
    feature: 'spontaneous',
    checks: [...WIRE_SPECS, spec('catalogue-read', ['the PSP reads the catalogue and gets it (xmlCatalogoServizi)', 'il PSP legge il catalogo e lo ottiene (xmlCatalogoServizi)'], ['NM-SPONT-PAY-01', 'IF-nodoChiediCatalogoServiziV2-F41'])],
    async run(t) {
      const ref = t.freshNotice();
      const h = await t.trigger({ action: 'service-catalogue', fiscalCode: t.ecFiscalCode, noticeNumber: ref.noticeNumber });
      const req = await t.acted(h, ['nodoChiediCatalogoServiziV2'], 'the service catalogue', 'il catalogo dei servizi');
      await t.settle(h);
      const f = judgeWire(t);
      const a = answer(t, req);
      f.check({ id: 'catalogue-read', held: a.outcome === 'OK' && !!textOf(a.body, 'xmlCatalogoServizi'), message: [`answer ${a.outcome ?? 'none'}`, `risposta ${a.outcome ?? 'nessuna'}`], entries: [req, a.response] });
    },
  },
  {
    id: 'PSP-SPONT-02',
    title: 'Spontaneous car-tax payment: demand, activate with the qrCode returned, outcome OK',
    titleIt: 'Pagamento spontaneo del bollo auto: demand, activate con il qrCode restituito, esito OK',
    seat: 'psp',
    feature: 'spontaneous',
    checks: [
      ...WIRE_SPECS,
      spec('demand-ok', ['the service data (base64 XML) are accepted by the EC', 'i dati del servizio (XML in base64) sono accettati dall’EC'], ['NM-SPONT-VAL-01', 'IF-demandPaymentNotice-F70']),
      spec('same-qrcode', ['the activation carries exactly the qrCode demandPaymentNotice returned', 'l’attivazione riporta esattamente il qrCode restituito da demandPaymentNotice'], ['NM-SPONT-ERR-03', 'IF-activatePaymentNotice-F77']),
      spec('paid', ['the spontaneous payment ends with an accepted OK outcome', 'il pagamento spontaneo termina con un esito OK accettato'], ['NM-SPONT-PAY-02', 'NM-SPONT-PAY-03']),
      ...outcomeSpecs(),
      ...reportSpecs('NM-SPONT-PAY-03'),
    ],
    async run(t) {
      const { report } = await paySpontaneous(t, xmlOf(tassaAutoData(plate())));
      const f = judgeWire(t);
      const d = t.requests('demandPaymentNotice')[0]!;
      const da = answer(t, d);
      f.check({ id: 'demand-ok', held: da.outcome === 'OK', message: [`demand → ${da.outcome ?? 'no answer'} ${da.fault?.faultCode ?? ''}`, `demand → ${da.outcome ?? 'nessuna risposta'} ${da.fault?.faultCode ?? ''}`], entries: [d, da.response] });
      const qr = child(da.body, 'qrCode');
      const act = t.requests(ACTIVATES)[0];
      const aq = child(bodyOf(act), 'qrCode');
      if (da.outcome !== 'OK') f.skip('same-qrcode', ['the demand was not answered OK: no qrCode to activate', 'la demand non ha avuto risposta OK: nessun qrCode da attivare'], [d, da.response]);
      else {
        f.check({
          id: 'same-qrcode', held: !!act && textOf(aq, 'noticeNumber') === textOf(qr, 'noticeNumber') && textOf(aq, 'fiscalCode') === textOf(qr, 'fiscalCode'),
          message: [
            `returned ${textOf(qr, 'fiscalCode')}/${textOf(qr, 'noticeNumber')}, activated ${textOf(aq, 'fiscalCode')}/${textOf(aq, 'noticeNumber')}`,
            `restituito ${textOf(qr, 'fiscalCode')}/${textOf(qr, 'noticeNumber')}, attivato ${textOf(aq, 'fiscalCode')}/${textOf(aq, 'noticeNumber')}`,
          ],
          entries: [da.response, act],
        });
      }
      const out = t.requests(OUTCOMES).find((e) => !!answer(t, e).body /* a body only on a usable answer */);
      if (!act) f.skip('paid', ['no activation was sent', 'nessuna attivazione è stata inviata']);
      else f.check({ id: 'paid', held: !!out && answer(t, out).outcome === 'OK' && textOf(bodyOf(out), 'outcome') === 'OK', message: out ? [`outcome → ${answer(t, out).outcome}`, `esito → ${answer(t, out).outcome}`] : ['no outcome', 'nessun esito'], entries: [act, out, out ? answer(t, out).response : undefined] });
      checkOutcomeInTime(f);
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-SPONT-03',
    title: 'Demand refused by the EC (no vehicle with that plate): the PSP does not activate',
    titleIt: 'Demand rifiutata dall’EC (nessun veicolo con quella targa): il PSP non attiva',
    seat: 'psp',
    feature: 'spontaneous',
    checks: [...WIRE_SPECS, spec('no-activate', ['no activation after a demand the EC refused', 'nessuna attivazione dopo una demand rifiutata dall’EC'], 'NM-SPONT-ERR-01'), ...reportSpecs('NM-SPONT-ERR-01')],
    async run(t) {
      const { report } = await paySpontaneous(t, xmlOf(tassaAutoData(UNKNOWN_PLATE)));
      const f = judgeWire(t);
      const d = t.requests('demandPaymentNotice')[0]!;
      const da = answer(t, d);
      // the refusal is the harness's precondition (its EC and Nodo), not the candidate's behaviour
      if (da.fault?.faultCode !== 'PPT_ERRORE_EMESSO_DA_PAA' && !f.stopped) return t.harnessError(`the harness was to refuse the demand with PPT_ERRORE_EMESSO_DA_PAA, but answered ${da.fault?.faultCode ?? da.outcome ?? 'nothing valid'}`);
      const acts = t.requests(ACTIVATES);
      f.check({ id: 'no-activate', held: acts.length === 0, message: [`demand → ${da.fault?.faultCode ?? da.outcome}; ${acts.length} activation(s)`, `demand → ${da.fault?.faultCode ?? da.outcome}; ${acts.length} attivazioni`], entries: [d, da.response, ...acts] });
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-SPONT-04',
    title: 'EC station times out on paDemandPaymentNotice: PPT_STAZIONE_INT_PA_TIMEOUT, the PSP does not activate',
    titleIt: 'La stazione EC va in timeout su paDemandPaymentNotice: il PSP non attiva',
    seat: 'psp',
    feature: 'spontaneous',
    checks: [...WIRE_SPECS, spec('no-activate', ['no activation after a demand that timed out at the EC', 'nessuna attivazione dopo una demand andata in timeout presso l’EC'], 'NM-SPONT-TO-01'), ...reportSpecs('NM-SPONT-TO-01')],
    async run(t) {
      t.script(async (op, _b, proceed) => (op === 'demandPaymentNotice' ? ko(nodoFault('PPT_STAZIONE_INT_PA_TIMEOUT', `paDemandPaymentNotice: no answer within ${t.nodo.stationTimeouts.paDemandPaymentNotice} ms`)) : proceed()));
      const { report } = await paySpontaneous(t, xmlOf(tassaAutoData(plate())));
      const f = judgeWire(t);
      const d = t.requests('demandPaymentNotice');
      const acts = t.requests(ACTIVATES);
      f.check({ id: 'no-activate', held: acts.length === 0, message: [`${acts.length} activation(s)`, `${acts.length} attivazioni`], entries: [...d.flatMap((e) => [e, answer(t, e).response]), ...acts] });
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
];
