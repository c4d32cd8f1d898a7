// The checks the Nodo makes on an RT a PSP hands it, pushed (nodoInviaRT) or fetched from the PSP's
// PULL queue (pspChiediRT, V-33 "the same validation"): in this order
//   V-36 tipoFirma "" or "0" (TR-37: no signature)            PPT_TIPOFIRMA_SCONOSCIUTO
//   an RPT the Nodo routed for these keys (V-20, V-22)         PPT_RPT_SCONOSCIUTA
//   … sent to this PSP (V-04)                                  PPT_AUTORIZZAZIONE
//   the RT readable (V-01; the pipeline has checked its XSD)   PPT_SINTASSI_XSD
//   not a second RT (V-19, V-21: forzaControlloSegno=1 after
//   an annullo tecnico replaces it; OLD-PSP-ERR-11)            PPT_RT_DUPLICATA
//   its outcome not contradicting the PSP's redirect outcome
//   (V-19, OLD-PSP-ERR-12; A-09: no code named, PPT_SEMANTICA) PPT_SEMANTICA
// then (rtProblems, checkRt) the RT against its RPT (V-19, V-20: IUV, CCP, amounts, esito codes,
// dates)                                                       PPT_SEMANTICA
import type { FaultBean } from '../../../src/wire/soap.js';
import type { OldCtx } from './context.js';
import { DocumentUnreadable, type RtView, readRtView } from './docs.js';
import { oldFault } from './faults.js';
import { rtAgainstRpt } from '../../../domain/old/index.js';
import type { RptRecord } from './store.js';

export interface IncomingRt {
  idDominio: string;
  iuv: string;
  ccp: string;
  /** the PSP that hands the RT (nodoInviaRT's identificativoPSP; the channel's PSPs for a PULL) */
  idPSP: string | readonly string[];
  /** the RT, base64 */
  rt: string | undefined;
  tipoFirma?: string;
  /** forzaControlloSegno = 1 */
  forced?: boolean;
}

/** A refusal: the fault the PSP gets (or the ackRT's RJCT reason) and the catalogue rule it enforces. */
export interface RtRefusal {
  ok: false;
  fault: FaultBean;
  rule: string;
  rec?: RptRecord;
}
export type RtTaken = { ok: true; rec: RptRecord; rt: RtView };

const refuse = (rule: string, code: string, description: string, rec?: RptRecord): RtRefusal => ({ ok: false, fault: oldFault(code, `${rule}: ${description}`), rule, rec });

/** The checks before the RT's content is compared with its RPT. */
export function rtIntake(c: OldCtx, i: IncomingRt): RtTaken | RtRefusal {
  const keys = `${i.idDominio}/${i.iuv}/${i.ccp}`;
  if (i.tipoFirma !== undefined && i.tipoFirma !== '' && i.tipoFirma !== '0') return refuse('V-36', 'PPT_TIPOFIRMA_SCONOSCIUTO', `tipoFirma ${i.tipoFirma.slice(0, 20)}: only "0" (no signature) is in use (TR-37)`);
  const rec = c.store.find(i.idDominio, i.iuv, i.ccp);
  if (!rec || rec.stato === 'RPT_RIFIUTATA_NODO') return refuse('V-20', 'PPT_RPT_SCONOSCIUTA', `no RPT ${keys} was routed by the Nodo`);
  const psps = typeof i.idPSP === 'string' ? [i.idPSP] : i.idPSP;
  if (!psps.includes(rec.psp.idPSP)) return refuse('V-04', 'PPT_AUTORIZZAZIONE', `the RPT ${keys} was not sent to PSP ${psps.join(', ')}`, rec);
  let rt: RtView;
  try {
    rt = readRtView(i.rt);
  } catch (e) {
    if (e instanceof DocumentUnreadable) return refuse('V-01', 'PPT_SINTASSI_XSD', e.message, rec);
    throw e;
  }
  if (rec.rt) {
    const latest = c.rts.latest(i.idDominio, i.iuv, i.ccp);
    // V-21: a replacing RT after an annullo tecnico (tipoRevoca 1) needs forzaControlloSegno=1
    const replacing = i.forced && rec.revoca?.state === 'Pagamento revocato' && rec.revoca.rr.tipoRevoca === '1';
    const undelivered = latest && (latest.state === 'rejected' || latest.state === 'parked');
    if (!replacing && !undelivered && !c.defects.has('accept-duplicate-rt')) return refuse('V-19', 'PPT_RT_DUPLICATA', `an RT for ${keys} was already received (state ${rec.stato})`, rec);
  }
  const contradiction = redirectContradiction(c, rec, rt);
  if (contradiction) return refuse('V-19', 'PPT_SEMANTICA', contradiction, rec);
  return { ok: true, rec, rt };
}

/** rtIntake, then the RT against its RPT: every check of nodoInviaRT before delivery. */
export function checkRt(c: OldCtx, i: IncomingRt): RtTaken | RtRefusal {
  const t = rtIntake(c, i);
  if (!t.ok) return t;
  const problems = rtProblems(t.rt, t.rec);
  return problems.length ? refuse(/^V-\d+/.exec(problems[0]!)?.[0] ?? 'V-20', 'PPT_SEMANTICA', problems.join('; '), t.rec) : t;
}

/**
 * OLD-PSP-ERR-12 (L2031): the PSP sent the payer back to WISP with an outcome (OK or KO) the RT
 * contradicts: OK and nothing paid (codiceEsitoPagamento 1, 3), or KO and paid (0, 2).
 */
function redirectContradiction(c: OldCtx, rec: RptRecord, rt: RtView): string | undefined {
  const cart = rec.idCarrello ? c.store.cart(rec.idCarrello) : undefined;
  const said = cart?.esito;
  if (said === 'OK' && (rt.codiceEsito === '1' || rt.codiceEsito === '3')) return `codiceEsitoPagamento ${rt.codiceEsito} (not paid) contradicts the outcome OK the PSP gave on the payer's return (OLD-PSP-ERR-12)`;
  if (said === 'ERROR' && (rt.codiceEsito === '0' || rt.codiceEsito === '2')) return `codiceEsitoPagamento ${rt.codiceEsito} (paid) contradicts the outcome KO the PSP gave on the payer's return (OLD-PSP-ERR-12)`;
  return undefined;
}

/** V-19, V-20: the RT against the request's keys and its RPT (domain/old's rtAgainstRpt, errors only). */
export function rtProblems(rt: RtView, rec: RptRecord): string[] {
  const out: string[] = [];
  if (rt.idDominio !== rec.idDominio || rt.iuv !== rec.iuv || rt.ccp !== rec.ccp) out.push(`RT keys ${rt.idDominio}/${rt.iuv}/${rt.ccp} differ from the request's ${rec.idDominio}/${rec.iuv}/${rec.ccp}`);
  for (const p of rtAgainstRpt(rec.rpt.doc, rt.doc)) if (p.severity === 'error') out.push(`${p.rule} ${p.field}: ${p.message}`);
  return out;
}
