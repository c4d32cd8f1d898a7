// P27 paaInviaRT: the Nodo delivers an RT. intestazionePPT's identificativoDominio + IUV + CCP name
// the attempt; the EC checks the RT against the RPT it sent (V-20, V-22) and books it: a positive RT
// closes the position (Chiusa/PAGATO, L1758), a negative one frees it (Aperta). An RT it already has
// is PAA_RT_DUPLICATA (OLD-PSP-ERR-14, 1 RPT ↔ 1 RT), an RT for no RPT of its own PAA_RPT_SCONOSCIUTA
// (OLD-PSP-ERR-15); after an accepted annullo tecnico the replacing RT is booked (V-21, L2520).
import type { Answer, RequestMessage } from '../../../src/wire/soap-endpoint.js';
import { textOf } from '../../../src/wire/xml.js';
import type { Attempt } from './archive.js';
import { type Rt, readRt, rtPays, rtProblems } from './documents.js';
import { pptKeys } from './psp-endpoint.js';
import type { Fault, OldStation } from './station.js';

/** The document a base64 element carries, as text (undefined when it is not base64 of UTF-8 XML). */
export function decodedDocument(b64: string | undefined): string | undefined {
  if (!b64) return undefined;
  const t = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('utf8');
}

export function paaInviaRT(st: OldStation, m: RequestMessage): Answer {
  const { idDominio, iuv, ccp } = pptKeys(m);
  const tipoFirma = textOf(m.body, 'tipoFirma') ?? '';
  if (tipoFirma !== '' && tipoFirma !== '0') return st.ko(m.op, idDominio, { code: 'PAA_TIPOFIRMA_SCONOSCIUTO', description: `tipoFirma ${tipoFirma}: only 0 (no signature) is in use (TR-37)` });
  const xml = decodedDocument(textOf(m.body, 'rt'));
  let rt: Rt;
  try {
    if (xml === undefined) throw new Error('rt is not base64');
    rt = readRt(xml);
  } catch (e) {
    return st.ko(m.op, idDominio, { code: 'PAA_SINTASSI_XSD', description: `rt: ${(e as Error).message}` });
  }
  const f = receiveRt(st, { idDominio, iuv, ccp }, rt, xml, 'paaInviaRT');
  return f ? st.ko(m.op, idDominio, f) : st.ok(m.op);
}

/** Checks and books an RT (from paaInviaRT or recovered with nodoChiediCopiaRT); the fault when refused. */
export function receiveRt(st: OldStation, keys: { idDominio: string; iuv: string; ccp: string }, rt: Rt, xml: string, via: string): Fault | undefined {
  const { idDominio, iuv, ccp } = keys;
  const dp = rt.datiPagamento;
  if (rt.dominio.identificativoDominio !== idDominio || dp.identificativoUnivocoVersamento !== iuv || dp.CodiceContestoPagamento !== ccp) {
    return st.semantic(`V-20 the RT is for ${rt.dominio.identificativoDominio}/${dp.identificativoUnivocoVersamento}/${dp.CodiceContestoPagamento}, intestazionePPT names ${idDominio}/${iuv}/${ccp}`);
  }
  const a = st.apa.attempt(idDominio, iuv, ccp);
  const rpt = a?.rpt?.doc;
  if (!a || !rpt) {
    if (st.has('old-rt-unknown-accepted')) return undefined;
    return { code: 'PAA_RPT_SCONOSCIUTA', description: `no RPT of EC ${idDominio} with IUV ${iuv} and CCP ${ccp}` };
  }
  // the defect: an attempt it closed as not paid on esito DIFFERITO takes no RT any more
  if (st.has('old-differito-as-failed') && a.state === 'not-paid' && !a.rt) return st.semantic(`the payment IUV ${iuv} CCP ${ccp} was closed as not paid`);
  const replacing = a.state === 'revoked' && a.revoche.some((r) => r.tipoRevoca === '1' && r.accepted);
  if (a.rt && !replacing) {
    a.rtDeliveries.push({ at: st.nowIso(), outcome: 'duplicate', note: via });
    if (!st.has('old-rt-duplicate-accepted')) {
      return { code: 'PAA_RT_DUPLICATA', description: `the RT of IUV ${iuv} CCP ${ccp} was already accepted at ${a.rt.at} (${a.rt.doc.identificativoMessaggioRicevuta})` };
    }
  }
  // the defect's RT reader knows no digital stamp attachment
  if (st.has('old-stamp-rt-refused') && rt.datiPagamento.datiSingoloPagamento?.some((p) => p.allegatoRicevuta?.tipoAllegatoRicevuta === 'BD')) {
    return st.semantic('datiSingoloPagamento/allegatoRicevuta: attachment type BD is not accepted');
  }
  if (st.has('old-mb-iur-seen-refused')) {
    const iurs = new Set(rt.datiPagamento.datiSingoloPagamento?.filter((s) => s.singoloImportoPagato > 0).map((s) => s.identificativoUnivocoRiscossione));
    const other = st.apa.allAttempts().find((o) => o !== a && o.rt?.doc.datiPagamento.datiSingoloPagamento?.some((s) => iurs.has(s.identificativoUnivocoRiscossione)));
    if (other) return { code: 'PAA_RT_DUPLICATA', description: `an RT with this identificativoUnivocoRiscossione was already accepted (IUV ${other.iuv} CCP ${other.ccp})` };
  }
  // the defect accepts RTs whose amounts differ from the RPT's
  const problems = rtProblems(rpt, rt).filter((p) => !(st.has('old-rt-mismatch-accepted') && /importo|total/.test(p.check)));
  if (problems.length) {
    a.rtDeliveries.push({ at: st.nowIso(), outcome: 'refused', note: problems[0]!.text });
    return st.semantic(problems.map((p) => p.text).join('; '));
  }
  book(st, a, rt, xml, via);
  return undefined;
}

function book(st: OldStation, a: Attempt, rt: Rt, xml: string, via: string): void {
  const at = st.nowIso();
  a.rt = { doc: rt, xml, at };
  a.rtDeliveries.push({ at, outcome: 'booked', note: via });
  const p = st.apa.position(a.idDominio, a.iuv);
  if (rtPays(rt)) {
    a.state = 'paid';
    if (p && !st.has('old-rt-leaves-open')) st.ec.archive.setState(p, 'paid', `RT ${rt.identificativoMessaggioRicevuta} (${via})`, at);
    return;
  }
  a.state = 'not-paid';
  // a negative RT frees the position, unless another attempt still holds it
  const live = st.apa.attemptsOf(a.idDominio, a.iuv).some((o) => o !== a && (o.state === 'activated' || o.state === 'rpt-sent'));
  if (p && p.state === 'in-progress' && !live) st.ec.archive.setState(p, 'payable', `negative RT ${rt.identificativoMessaggioRicevuta} (${via})`, at);
}
