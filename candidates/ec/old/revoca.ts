// Revoca and storno at the station. P28 paaInviaRichiestaRevoca: an RR from a PSP (§3.6) — annullo
// tecnico (tipoRevoca 1) is always accepted (L2465), charge-back (2) as the EC's configuration says
// (OLD-REV-CB-01/02); a second RR for the same payment is PAA_RR_DUPLICATA, a payment that cannot be
// revoked PAA_OPER_NON_REVOCABILE (OLD-REV-ERR-02); the ER then leaves with nodoInviaRispostaRevoca
// (./payments.ts). P29 paaInviaEsitoStorno: the PSP's ER for a storno the EC asked (§3.7):
// PAA_ER_DUPLICATA, PAA_RR_SCONOSCIUTA, PAA_SEMANTICA (OLD-STO-ERR-04).
import type { Answer, RequestMessage } from '../../../src/wire/soap-endpoint.js';
import { textOf } from '../../../src/wire/xml.js';
import type { Attempt, Revoca } from './archive.js';
import { type Er, type Rr, readEr, readRr, revocaSumProblem, rtPays } from './documents.js';
import { decodedDocument } from './rt-endpoint.js';
import type { OldStation } from './station.js';

function keysOf(m: RequestMessage) {
  return {
    idDominio: textOf(m.body, 'identificativoDominio') ?? '',
    iuv: textOf(m.body, 'identificativoUnivocoVersamento') ?? '',
    ccp: textOf(m.body, 'codiceContestoPagamento') ?? '',
  };
}

/** The RR or ER a request carries (the pipeline already checked it against its schema). */
function readDoc<T>(st: OldStation, m: RequestMessage, element: 'rr' | 'er', reader: (xml: string) => T): { doc: T; xml: string } | { ko: Answer } {
  const xml = decodedDocument(textOf(m.body, element));
  try {
    if (xml === undefined) throw new Error(`${element} is not base64`);
    return { doc: reader(xml), xml };
  } catch (e) {
    return { ko: st.ko(m.op, keysOf(m).idDominio, { code: 'PAA_SINTASSI_XSD', description: `${element}: ${(e as Error).message}` }) };
  }
}

/** The keys of the document match the request's, and its amounts add up (TR-24). */
function inconsistency(what: 'RR' | 'ER', doc: { dominio: { identificativoDominio: string }; datiRevoca: Rr['datiRevoca'] | Er['datiRevoca'] }, k: { idDominio: string; iuv: string; ccp: string }): string | undefined {
  const d = doc.datiRevoca;
  if (d.identificativoUnivocoVersamento !== k.iuv || d.codiceContestoPagamento !== k.ccp) return `the ${what} is for IUV ${d.identificativoUnivocoVersamento} CCP ${d.codiceContestoPagamento}, the request names IUV ${k.iuv} CCP ${k.ccp}`;
  if (doc.dominio.identificativoDominio !== k.idDominio) return `the ${what}'s dominio ${doc.dominio.identificativoDominio} differs from identificativoDominio ${k.idDominio}`;
  return revocaSumProblem(d);
}

export function paaInviaRichiestaRevoca(st: OldStation, m: RequestMessage, accepted: (a: Attempt, r: Revoca) => void, chargeBack: 'accept' | 'refuse'): Answer {
  const k = keysOf(m);
  const got = readDoc(st, m, 'rr', readRr);
  if ('ko' in got) return got.ko;
  const rr = got.doc;
  const bad = inconsistency('RR', rr, k);
  if (bad) return st.ko(m.op, k.idDominio, st.semantic(bad));
  const a = st.apa.attempt(k.idDominio, k.iuv, k.ccp);
  const rt = a?.rt?.doc;
  if (!a || !rt) return st.ko(m.op, k.idDominio, { code: 'PAA_RT_SCONOSCIUTA', description: `EC ${k.idDominio} has no RT for IUV ${k.iuv} CCP ${k.ccp}: nothing to revoke` });
  // at most one RR/ER pair per concluded operation (L785-795)
  const prior = a.revoche.find((r) => r.kind === 'revoca');
  if (prior && !st.has('old-rr-duplicate-accepted')) {
    return st.ko(m.op, k.idDominio, { code: 'PAA_RR_DUPLICATA', description: `RR ${prior.identificativoMessaggioRevoca} for IUV ${k.iuv} CCP ${k.ccp} was already handled` });
  }
  const tipo = rr.datiRevoca.tipoRevoca;
  if (tipo === undefined) return st.ko(m.op, k.idDominio, st.semantic('datiRevoca.tipoRevoca is mandatory in a revoca from a PSP (1 annullo tecnico, 2 charge-back)'));
  // charge-back needs a paid RT (RT EC, L2524-2529); annullo tecnico corrects either outcome (L2485-2486)
  if (tipo !== '1' && !rtPays(rt)) {
    return st.ko(m.op, k.idDominio, { code: 'PAA_OPER_NON_REVOCABILE', description: `the RT of IUV ${k.iuv} CCP ${k.ccp} is negative (codiceEsitoPagamento ${rt.datiPagamento.codiceEsitoPagamento}): nothing was paid to give back` });
  }
  const r: Revoca = {
    kind: 'revoca', rr: { doc: rr, xml: got.xml, at: st.nowIso() }, identificativoMessaggioRevoca: rr.identificativoMessaggioRevoca, tipoRevoca: tipo,
    accepted: tipo === '1' ? !st.has('old-er-wrong-outcome') : chargeBack === 'accept',
  };
  a.revoche.push(r);
  if (r.accepted) {
    // the EC rolls the position back to its state before the payment (L2513, L2555)
    a.state = 'revoked';
    const p = st.apa.position(a.idDominio, a.iuv);
    if (p && p.state === 'paid') st.ec.archive.setState(p, 'payable', `revoca ${r.identificativoMessaggioRevoca} (tipoRevoca ${tipo})`, st.nowIso());
  }
  accepted(a, r);
  return st.ok(m.op);
}

export function paaInviaEsitoStorno(st: OldStation, m: RequestMessage): Answer {
  const k = keysOf(m);
  const got = readDoc(st, m, 'er', readEr);
  if ('ko' in got) return got.ko;
  const er = got.doc;
  const a = st.apa.attempt(k.idDominio, k.iuv, k.ccp);
  const storno = a?.revoche.find((r) => r.kind === 'storno' && r.identificativoMessaggioRevoca === er.riferimentoMessaggioRevoca);
  if (!a || !storno) {
    return st.ko(m.op, k.idDominio, { code: 'PAA_RR_SCONOSCIUTA', description: `EC ${k.idDominio} sent no storno RR ${er.riferimentoMessaggioRevoca} for IUV ${k.iuv} CCP ${k.ccp}` });
  }
  if (storno.er && !st.has('old-er-duplicate-accepted')) {
    return st.ko(m.op, k.idDominio, { code: 'PAA_ER_DUPLICATA', description: `the ER of storno ${storno.identificativoMessaggioRevoca} was already received at ${storno.er.at}` });
  }
  const asked = storno.rr.doc.datiRevoca.importoTotaleRevocato;
  const bad = inconsistency('ER', er, k) ?? (er.datiRevoca.importoTotaleRevocato > asked ? `importoTotaleRevocato ${(er.datiRevoca.importoTotaleRevocato / 100).toFixed(2)} exceeds the ${(asked / 100).toFixed(2)} the RR asked` : undefined);
  if (bad) return st.ko(m.op, k.idDominio, st.semantic(bad));
  storno.er = { doc: er, xml: got.xml, at: st.nowIso() };
  storno.accepted = er.datiRevoca.importoTotaleRevocato > 0;
  if (storno.accepted) {
    // RT Stornata (L2574): the position opens again (SM-DEBT Chiusa → Aperta)
    a.state = 'revoked';
    const p = st.apa.position(a.idDominio, a.iuv);
    if (p && p.state === 'paid') st.ec.archive.setState(p, 'payable', `storno ${storno.identificativoMessaggioRevoca} accepted`, st.nowIso());
  }
  return st.ok(m.op);
}
