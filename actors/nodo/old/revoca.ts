// Revoca (PSP-initiated, §2.4 SM-REV) and storno (EC-initiated, §2.5 SM-STO) relays:
//  nodoInviaRichiestaRevoca (PSP's RR) → paaInviaRichiestaRevoca; nodoInviaRispostaRevoca (EC's ER) →
//  pspInviaRispostaRevoca; nodoInviaRichiestaStorno (EC's RR) → pspInviaRichiestaStorno;
//  nodoInviaEsitoStorno (PSP's ER) → paaInviaEsitoStorno. EC KOs are relayed as
//  PPT_ERRORE_EMESSO_DA_PAA, PSP KOs as PPT_CANALE_ERRORE (A-16 reading, as storno's Tabella 15).
// TR-11's 01:00 deadline for an annullo tecnico is not enforced (the EC seat never reaches it).
import { type Er, type Rr, erAgainstRr, rrAgainstRt } from '../../../domain/old/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import type { FaultBean } from '../../../src/wire/soap.js';
import { type El, type NodeObj, textOf } from '../../../src/wire/xml.js';
import type { OldVerdict } from './calls.js';
import { type OldCtx, koOf, okOf, stationOf } from './context.js';
import { DocumentUnreadable, type RevocaView, readRevocaView, toBase64 } from './docs.js';
import { oldFault, relayCanale } from './faults.js';
import { stationFailure } from './psp.js';
import type { RptRecord } from './store.js';

type Keys = { idDominio: string; iuv: string; ccp: string };
const keysOf = (b: El): Keys => ({ idDominio: textOf(b, 'identificativoDominio') ?? '', iuv: textOf(b, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(b, 'codiceContestoPagamento') ?? '' });
const corrOf = (k: Keys) => ({ idDominio: k.idDominio, iuv: k.iuv, ccp: k.ccp });

/** The RR/ER of the request, checked against the request's keys; a fault otherwise. */
function readDoc(body: El, what: 'rr' | 'er', k: Keys): RevocaView | FaultBean {
  let v: RevocaView;
  try {
    v = readRevocaView(textOf(body, what), what);
  } catch (e) {
    if (e instanceof DocumentUnreadable) return oldFault('PPT_SINTASSI_XSD', e.message);
    throw e;
  }
  if (v.idDominio !== k.idDominio || v.iuv !== k.iuv || v.ccp !== k.ccp) return oldFault('PPT_SEMANTICA', `${what.toUpperCase()} keys ${v.idDominio}/${v.iuv}/${v.ccp} differ from the request's ${k.idDominio}/${k.iuv}/${k.ccp}`);
  return v;
}

/** domain/old's rules between the documents (V-24, V-26, V-28), errors only, as one PPT_SEMANTICA. */
function semantica(problems: { severity: string; rule: string; field: string; message: string }[]): FaultBean | undefined {
  const errors = problems.filter((p) => p.severity === 'error');
  return errors.length ? oldFault('PPT_SEMANTICA', errors.map((p) => `${p.rule} ${p.field}: ${p.message}`).join('; ')) : undefined;
}

/** The fault the EC gets for a PSP verdict that is not OK (OLD-X-CHN-01, OLD-X-CNT-01). */
function channelFailure(c: OldCtx, v: Exclude<OldVerdict, { kind: 'ok' }>, idPSP: string): FaultBean {
  switch (v.kind) {
    case 'ko':
      return c.defects.has('relay-as-nodo') ? oldFault('PPT_CANALE_ERRORE', v.fault.description) : relayCanale(idPSP, v.fault);
    case 'timeout':
      return oldFault('PPT_CANALE_TIMEOUT', v.reason);
    case 'unreachable':
      return oldFault('PPT_CANALE_IRRAGGIUNGIBILE', v.reason);
    case 'invalid':
      return oldFault('PPT_CANALE_ERRORE_RESPONSE', v.reason);
  }
}

async function toPsp(c: OldCtx, rec: RptRecord, primitive: string, what: 'rr' | 'er', doc: RevocaView): Promise<OldVerdict> {
  const channel = c.reg.channels.find((x) => x.idChannel === rec.psp.idChannel);
  if (!channel) return { kind: 'unreachable', reason: `channel ${rec.psp.idChannel} is not registered` };
  const content = { identificativoDominio: rec.idDominio, identificativoUnivocoVersamento: rec.iuv, codiceContestoPagamento: rec.ccp, [what]: toBase64(doc.xml) };
  return (await c.calls.psp(primitive, channel, content, { corr: corrOf(rec), timeoutMs: c.timeouts.psp })).verdict;
}

async function toEc(c: OldCtx, rec: RptRecord, primitive: 'paaInviaRichiestaRevoca' | 'paaInviaEsitoStorno', doc: RevocaView): Promise<OldVerdict> {
  const station = stationOf(c, rec.idStation);
  if (!station) return { kind: 'unreachable', reason: `station ${rec.idStation} is not registered` };
  const keys = { identificativoDominio: rec.idDominio, identificativoUnivocoVersamento: rec.iuv, codiceContestoPagamento: rec.ccp };
  const content: NodeObj = primitive === 'paaInviaRichiestaRevoca'
    ? { ...keys, rr: toBase64(doc.xml) }
    : { identificativoIntermediarioPA: station.idBrokerPA, identificativoStazioneIntermediarioPA: station.idStation, ...keys, er: toBase64(doc.xml) };
  return (await c.calls.station(primitive, station, content, { corr: corrOf(rec), timeoutMs: c.timeouts.paaRevocaStorno })).verdict;
}

/** P24: the PSP's RR (annullo tecnico or charge-back) → the EC (V-24, OLD-REV-ERR-01/02). */
export async function richiestaRevoca(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const k = keysOf(body);
  const rec = c.store.find(k.idDominio, k.iuv, k.ccp);
  if (!rec || !rec.rt || rec.stato !== 'RT_ACCETTATA_PA') return koOf(op, oldFault('PPT_OPER_NON_REVOCABILE', `no RT of ${k.idDominio}/${k.iuv}/${k.ccp} was delivered to the EC (RT EC required)`));
  if (rec.psp.idPSP !== textOf(body, 'identificativoPSP')) return koOf(op, oldFault('PPT_AUTORIZZAZIONE', `the payment ${k.idDominio}/${k.iuv}/${k.ccp} was not made with PSP ${textOf(body, 'identificativoPSP')}`));
  const rr = readDoc(body, 'rr', k);
  if ('faultCode' in rr) return koOf(op, rr);
  const sem = semantica(rrAgainstRt(rec.rt.doc, rr.doc as Rr, 'revoca'));
  if (sem) return koOf(op, sem);
  if (rec.revoca && rec.revoca.state !== 'Revoca Rifiutata') return koOf(op, oldFault('PPT_RR_DUPLICATA', `an RR for ${k.idDominio}/${k.iuv}/${k.ccp} was already submitted (${rec.revoca.state})`));
  c.store.revoca(rec, 'RR inoltrata', `RR ${rr.idMessaggio} (tipoRevoca ${rr.tipoRevoca}) to the EC`, rr);
  rec.revoca!.rr = rr;
  const v = await toEc(c, rec, 'paaInviaRichiestaRevoca', rr);
  if (v.kind === 'ok') return okOf(op);
  c.store.revoca(rec, 'Revoca Rifiutata', `paaInviaRichiestaRevoca ${v.kind}`);
  return koOf(op, stationFailure(c, v, k.idDominio));
}

/** P13: the EC's ER answering a revoca → the PSP (V-26, OLD-REV-ERR-03/04). */
export async function rispostaRevoca(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const k = keysOf(body);
  const rec = c.store.find(k.idDominio, k.iuv, k.ccp);
  if (!rec?.revoca) return koOf(op, oldFault('PPT_RR_SCONOSCIUTA', `no RR for ${k.idDominio}/${k.iuv}/${k.ccp}`));
  const er = readDoc(body, 'er', k);
  if ('faultCode' in er) return koOf(op, er);
  if (er.riferimentoMessaggioRevoca !== rec.revoca.rr.idMessaggio) return koOf(op, oldFault('PPT_RR_SCONOSCIUTA', `riferimentoMessaggioRevoca ${er.riferimentoMessaggioRevoca} is not the RR ${rec.revoca.rr.idMessaggio}`));
  if (rec.revoca.er) return koOf(op, oldFault('PPT_ER_DUPLICATA', `the ER of RR ${rec.revoca.rr.idMessaggio} was already sent`));
  const sem = semantica(erAgainstRr(rec.revoca.rr.doc as Rr, er.doc as Er));
  if (sem) return koOf(op, sem);
  const v = await toPsp(c, rec, 'pspInviaRispostaRevoca', 'er', er);
  if (v.kind !== 'ok') {
    c.store.revoca(rec, 'Esito Revoca Rifiutata', `pspInviaRispostaRevoca ${v.kind}`);
    return koOf(op, channelFailure(c, v, rec.psp.idPSP));
  }
  // a negative ER (less revoked than asked, 0.00 when refused, L473) leaves the payment as it was; an
  // annullo tecnico of a negative RT asks 0.00 and its accepting ER revokes 0.00 (OLD-REV-AT-02)
  const accepted = er.totalCents >= rec.revoca.rr.totalCents;
  c.store.revoca(rec, accepted ? 'Pagamento revocato' : 'Revoca Rifiutata', `ER ${er.idMessaggio} delivered to the PSP`, undefined, er);
  return okOf(op);
}

/** P12: the EC's RR for a storno → the PSP (V-28, OLD-STO-ERR-01/02). */
export async function richiestaStorno(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const k = keysOf(body);
  const rec = c.store.find(k.idDominio, k.iuv, k.ccp);
  if (!rec?.rt || rec.stato !== 'RT_ACCETTATA_PA' || !['0', '2'].includes(rec.rt.codiceEsito)) return koOf(op, oldFault('PPT_RT_SCONOSCIUTA', `no positive RT of ${k.idDominio}/${k.iuv}/${k.ccp} reached the EC`));
  const channel = c.reg.channels.find((x) => x.idChannel === rec.psp.idChannel);
  if (!channel?.storno) return koOf(op, oldFault('PPT_OPER_NON_STORNABILE', `PSP ${rec.psp.idPSP} (channel ${rec.psp.idChannel}) does not accept storno (stornoPagamento, V-28)`));
  const rr = readDoc(body, 'rr', k);
  if ('faultCode' in rr) return koOf(op, rr);
  const sem = semantica(rrAgainstRt(rec.rt.doc, rr.doc as Rr, 'storno'));
  if (sem) return koOf(op, sem);
  if (rec.storno && rec.storno.state !== 'Storno Rifiutato') return koOf(op, oldFault('PPT_RR_DUPLICATA', `a storno of ${k.idDominio}/${k.iuv}/${k.ccp} was already requested (${rec.storno.state})`));
  c.store.storno(rec, 'Richiesta Storno Inviata', `RR ${rr.idMessaggio} to the PSP`, rr);
  rec.storno!.rr = rr;
  const v = await toPsp(c, rec, 'pspInviaRichiestaStorno', 'rr', rr);
  if (v.kind === 'ok') return okOf(op);
  c.store.storno(rec, 'Storno Rifiutato', `pspInviaRichiestaStorno ${v.kind}`);
  return koOf(op, channelFailure(c, v, rec.psp.idPSP));
}

/** P23: the PSP's ER of a storno → the EC (V-26, OLD-STO-ERR-03/04, OLD-STO-TO-02). */
export async function esitoStorno(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const k = keysOf(body);
  const rec = c.store.find(k.idDominio, k.iuv, k.ccp);
  if (!rec?.storno) return koOf(op, oldFault('PPT_RR_SCONOSCIUTA', `no storno request for ${k.idDominio}/${k.iuv}/${k.ccp}`));
  const er = readDoc(body, 'er', k);
  if ('faultCode' in er) return koOf(op, er);
  if (er.riferimentoMessaggioRevoca !== rec.storno.rr.idMessaggio) return koOf(op, oldFault('PPT_RR_SCONOSCIUTA', `riferimentoMessaggioRevoca ${er.riferimentoMessaggioRevoca} is not the storno RR ${rec.storno.rr.idMessaggio}`));
  if (rec.storno.er) return koOf(op, oldFault('PPT_ER_DUPLICATA', `the ER of storno ${rec.storno.rr.idMessaggio} was already sent`));
  const sem = semantica(erAgainstRr(rec.storno.rr.doc as Rr, er.doc as Er));
  if (sem) return koOf(op, sem);
  const v = await toEc(c, rec, 'paaInviaEsitoStorno', er);
  if (v.kind === 'ok') {
    c.store.storno(rec, 'RT Stornata', `ER ${er.idMessaggio} delivered to the EC`, undefined, er);
    return okOf(op);
  }
  // a timeout leaves the storno where it was (L3027); a KO refuses it
  if (v.kind === 'ko') c.store.storno(rec, 'Storno Rifiutato', `paaInviaEsitoStorno KO ${v.fault.faultCode}`);
  return koOf(op, stationFailure(c, v, k.idDominio));
}
