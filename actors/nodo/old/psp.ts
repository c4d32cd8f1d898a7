// NodoPerPsp flows as a PSP drives them: nodoInviaRT (checked against its RPT, then delivered to the
// EC with paaInviaRT, whose answer the PSP gets: L1509-1512), nodoVerificaRPT / nodoAttivaRPT
// (codiceIdRPT → EC and station → paaVerificaRPT / paaAttivaRPT, the EC's PAA_* relayed as
// PPT_ERRORE_EMESSO_DA_PAA with the original fields and datiPagamentoPA). Catalogue §2.2, §2.3,
// OLD-PSP-PAY-01..04, OLD-PSP-ERR-01..07, -11, -14..16, OLD-EC-ERR-07/08, OLD-RT-RETRY-01.
import { parseAmount } from '../../../domain/common.js';
import { DocumentError, type IstitutoAttestante, noticeOfCodiceIdRpt, readCodiceIdRpt, rtFor, rtXml } from '../../../domain/old/index.js';
import { WISP_PSP } from '../../../domain/registry.js';
import type { Operation } from '../../../src/wire/contract.js';
import type { FaultBean } from '../../../src/wire/soap.js';
import { type El, type NodeObj, child, textOf } from '../../../src/wire/xml.js';
import { routeNotice } from '../station-client.js';
import type { OldVerdict } from './calls.js';
import type { RtDelivery } from './rt-delivery.js';
import { type OldCtx, koOf, okOf, rtStationOf } from './context.js';
import { readRtView, relayContent, toBase64 } from './docs.js';
import { oldFault, relayPaa } from './faults.js';
import type { RptRecord } from './store.js';
import { rtIntake, rtProblems } from './rt-intake.js';

/** The fault the PSP gets for a station verdict that is not OK (OLD-X-STA-01, OLD-X-CNT-01). */
export function stationFailure(c: OldCtx, v: Exclude<OldVerdict, { kind: 'ok' }>, idDominio: string): FaultBean {
  switch (v.kind) {
    case 'ko':
      return c.defects.has('relay-as-nodo') ? oldFault('PPT_ERRORE_EMESSO_DA_PAA', v.fault.description) : relayPaa(idDominio, v.fault);
    case 'timeout':
      return oldFault('PPT_STAZIONE_INT_PA_TIMEOUT', v.reason);
    case 'unreachable':
      return oldFault('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', v.reason);
    case 'invalid':
      // §4.1 has no code for a station's malformed answer: the generic one, the problem in description
      return oldFault('PPT_SYSTEM_ERROR', `invalid answer from the station: ${v.reason}`);
  }
}

export async function nodoInviaRT(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const idDominio = textOf(body, 'identificativoDominio') ?? '';
  const idPSP = textOf(body, 'identificativoPSP') ?? '';
  const forced = textOf(body, 'forzaControlloSegno') === '1';
  // tipoFirma, the RPT, its PSP, the RT readable, not a duplicate, not contradicting the redirect (rt-intake.ts)
  const taken = rtIntake(c, { idDominio, iuv: textOf(body, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(body, 'codiceContestoPagamento') ?? '', idPSP, rt: textOf(body, 'rt'), tipoFirma: textOf(body, 'tipoFirma'), forced });
  if (!taken.ok) return koOf(op, taken.fault);
  const { rec, rt } = taken;
  const problems = rtProblems(rt, rec);
  if (problems.length) return koOf(op, oldFault('PPT_SEMANTICA', problems.join('; ')));
  const station = rtStationOf(c, rec);
  if (!station) return koOf(op, oldFault('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `station ${rec.idStation} is no longer registered`));
  rec.rt = { ...rt, generated: false, forced, at: c.clock.now() };
  c.store.move(rec, 'RT_ACCETTATA_NODO', `RT ${rt.idMessaggio} from ${idPSP} (codiceEsitoPagamento ${rt.codiceEsito})`);
  const v = await deliverRt(c, rec);
  if (v.kind === 'ok') return okOf(op);
  return koOf(op, stationFailure(c, v, idDominio));
}

/** Starts the RT's delivery to the EC (ledger first) and returns the first send's verdict. */
export async function deliverRt(c: OldCtx, rec: RptRecord, note?: string): Promise<OldVerdict> {
  const rt = rec.rt!;
  const outcome = rt.codiceEsito === '0' || rt.codiceEsito === '2' ? 'OK' : 'KO';
  // the IUR of a paid transfer identifies the payment; an RT with nothing paid, its own message id
  const iur = rt.singoli.find((s) => s.cents > 0)?.iur;
  c.cfg.ledger?.recordReceipt({
    model: 'old', receiptId: iur ?? rt.idMessaggio, ecFiscalCode: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp, idPSP: rec.psp.idPSP, idChannel: rec.psp.idChannel,
    outcome, amountCents: rt.paidCents,
    transfers: rt.singoli.map((s, i) => ({ index: i + 1, ecFiscalCode: rec.idDominio, amountCents: s.cents, iban: rec.rpt.singoli[i]?.ibanAccredito, iur: s.iur })),
    paidAt: rt.dataOra, at: c.clock.now(),
  });
  c.store.move(rec, 'RT_INVIATA_PA', 'paaInviaRT to the station');
  const { first } = c.rts.start(rec, rtStationOf(c, rec)!, rt.xml, { note });
  const v = await first;
  settleRt(c, rec, v);
  return v;
}

/** The RPT's state after a paaInviaRT send (first or later). */
export function settleRt(c: OldCtx, rec: RptRecord, v: OldVerdict): void {
  if (v.kind === 'ok') c.store.move(rec, 'RT_ACCETTATA_PA', 'the EC accepted the RT');
  else if (v.kind === 'ko' && v.fault.faultCode === 'PAA_RT_DUPLICATA') c.store.move(rec, 'RT_ACCETTATA_PA', 'the EC already holds the RT (PAA_RT_DUPLICATA)');
  else if (v.kind === 'ko') c.store.move(rec, 'RT_RIFIUTATA_PA', `the EC refused the RT: ${v.fault.faultCode}`);
  else c.store.move(rec, 'RT_ESITO_SCONOSCIUTO_PA', `paaInviaRT ${v.kind}: ${v.reason}`);
}

/** The RPT's state when a redelivery ends (delivered, refused, parked). */
export function settleDelivery(c: OldCtx, rec: RptRecord, d: RtDelivery): void {
  if (d.state === 'delivered') c.store.move(rec, 'RT_ACCETTATA_PA', `the EC took the RT at attempt ${d.attempts.length}`);
  else if (d.state === 'rejected') c.store.move(rec, 'RT_RIFIUTATA_PA', `the EC refused the RT: ${d.reason ?? ''}`);
  else c.store.move(rec, 'RT_ESITO_SCONOSCIUTO_PA', `RT not delivered after ${d.attempts.length} attempts: ${d.reason ?? ''}`);
}

/** codiceIdRPT → EC fiscal code, IUV and the notice number that routes to the station (domain/old, TR-28, TR-29). */
function codeOf(body: El): { cf: string; iuv: string; notice: string } | FaultBean {
  try {
    const n = noticeOfCodiceIdRpt(readCodiceIdRpt(child(body, 'codiceIdRPT')!));
    // BarCode and aim128 name the EC by GLN or postal account, which the registry does not hold
    if (!n.fiscalCode) return oldFault('PPT_DOMINIO_SCONOSCIUTO', `codiceIdRPT: no EC is registered with id ${n.id}`);
    return { cf: n.fiscalCode, iuv: n.iuv, notice: n.noticeNumber };
  } catch (e) {
    if (e instanceof DocumentError) return oldFault('PPT_SEMANTICA', e.message);
    throw e;
  }
}

export async function verificaOrAttiva(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const attiva = op.name === 'nodoAttivaRPT';
  const code = codeOf(body);
  if ('faultCode' in code) return koOf(op, code);
  const routed = routeNotice(c.reg, code.cf, code.notice);
  if ('faultCode' in routed) return koOf(op, oldFault(routed.faultCode, routed.description));
  const { station } = routed;
  const ccp = textOf(body, 'codiceContestoPagamento') ?? '';
  const header = { identificativoIntermediarioPA: station.idBrokerPA, identificativoStazioneIntermediarioPA: station.idStation, identificativoDominio: code.cf, identificativoUnivocoVersamento: code.iuv, codiceContestoPagamento: ccp };
  const idPSP = textOf(body, 'identificativoPSP') ?? '';
  const content: NodeObj = attiva
    ? { identificativoPSP: idPSP, datiPagamentoPSP: relayContent(child(body, 'datiPagamentoPSP')!), identificativoIntermediarioPSP: textOf(body, 'identificativoIntermediarioPSPPagamento') ?? '', identificativoCanalePSP: textOf(body, 'identificativoCanalePagamento') ?? '' }
    : { identificativoPSP: idPSP };
  const primitive = attiva ? 'paaAttivaRPT' : 'paaVerificaRPT';
  const { verdict: v } = await c.calls.station(primitive, station, content, { header, corr: { idDominio: code.cf, iuv: code.iuv, ccp, fiscalCode: code.cf, noticeNumber: code.notice }, timeoutMs: attiva ? c.timeouts.paaAttivaRPT : c.timeouts.paaVerificaRPT });
  const dati = v.kind === 'ok' || v.kind === 'ko' ? child(v.body, 'datiPagamentoPA') : undefined;
  const datiNode = dati ? { datiPagamentoPA: relayContent(dati) } : {};
  if (v.kind !== 'ok') return koOf(op, stationFailure(c, v, code.cf), datiNode);
  if (!dati) return koOf(op, oldFault('PPT_SYSTEM_ERROR', `${primitive}: esito OK without datiPagamentoPA`));
  // V-09, V-14: the account the EC gives must be registered for it
  const iban = textOf(dati, 'ibanAccredito');
  if (iban && routed.ec.ibans.length && !routed.ec.ibans.includes(iban)) return koOf(op, oldFault('PPT_IBAN_NON_CENSITO', `ibanAccredito ${iban} is not among the accounts registered for ${code.cf}`));
  if (attiva) {
    c.store.activate({
      idDominio: code.cf, iuv: code.iuv, ccp, idStation: station.idStation,
      psp: { idPSP, idBrokerPSP: textOf(body, 'identificativoIntermediarioPSP') ?? '', idChannel: textOf(body, 'identificativoCanale') ?? '' },
      paying: { idBrokerPSP: textOf(body, 'identificativoIntermediarioPSPPagamento') ?? '', idChannel: textOf(body, 'identificativoCanalePagamento') ?? '' },
      importoCents: parseAmount(textOf(dati, 'importoSingoloVersamento')) ?? 0,
    });
  }
  return okOf(op, datiNode);
}

/**
 * The negative RTs the Nodo writes when a payment is refused before any RT (payer cancelled on WISP,
 * PSP refused or never took the cart: L1558, L1614, L1629; A-31: delivery resumes at paaInviaRT).
 * istitutoAttestante: the PSP chosen, else the Nodo's own WISP identity.
 */
export async function negativeRts(c: OldCtx, recs: RptRecord[], why: string): Promise<OldVerdict[]> {
  const out: OldVerdict[] = [];
  for (const rec of recs) {
    if (rec.rt) continue;
    const psp = c.reg.psps.find((p) => p.idPSP === rec.psp.idPSP);
    const attestante: IstitutoAttestante = {
      identificativoUnivocoAttestante: { tipoIdentificativoUnivoco: 'B', codiceIdentificativoUnivoco: psp?.idPSP ?? WISP_PSP.idPSP },
      denominazioneAttestante: psp?.companyName ?? 'Nodo dei Pagamenti-SPC',
    };
    const xml = rtXml(rtFor(rec.rpt.doc, 'negative', { now: c.clock.now(), istitutoAttestante: attestante }));
    rec.rt = { ...readRtView(toBase64(xml)), generated: true, forced: false, at: c.clock.now() };
    c.store.move(rec, 'RT_GENERATA_NODO', `negative RT written by the Nodo: ${why}`);
    out.push(await deliverRt(c, rec, 'negative RT generated by the Nodo'));
  }
  return out;
}
