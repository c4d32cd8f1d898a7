// PaPerNodoPagamentoPsp (P30 paaVerificaRPT, P31 paaAttivaRPT): a payment started at the PSP.
// Both look the position up in the APA by identificativoDominio + IUV of intestazionePPT and answer
// the state's PAA_PAGAMENTO_* (§2.1, L1917-1924). Verify changes nothing (L428); a successful
// activation locks the position (In pagamento, L1736) and the RPT then leaves (./payments.ts).
import { parseAmount } from '../../../domain/common.js';
import type { Answer, RequestMessage } from '../../../src/wire/soap-endpoint.js';
import { pathText, textOf } from '../../../src/wire/xml.js';
import type { Attempt } from './archive.js';
import type { OldStation } from './station.js';

/** The keys intestazionePPT carries. */
export function pptKeys(m: RequestMessage): { idDominio: string; iuv: string; ccp: string } {
  return {
    idDominio: textOf(m.header, 'identificativoDominio') ?? '',
    iuv: textOf(m.header, 'identificativoUnivocoVersamento') ?? '',
    ccp: textOf(m.header, 'codiceContestoPagamento') ?? '',
  };
}

export function paaVerificaRPT(st: OldStation, m: RequestMessage): Answer {
  const { idDominio, iuv } = pptKeys(m);
  const p = st.apa.position(idDominio, iuv);
  const f = st.stateFault(p, idDominio, iuv);
  if (f || !p) return st.ko(m.op, idDominio, f ?? { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `IUV ${iuv} unknown` });
  // verify has no effect on the position (L428) — unless the defect locks it
  if (st.has('old-verify-locks')) st.ec.archive.setState(p, 'in-progress', 'paaVerificaRPT', st.nowIso());
  return st.ok(m.op, { datiPagamentoPA: st.datiPagamentoPA(p) });
}

/**
 * paaAttivaRPT: the same checks as verify, then the amount (PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO with the
 * right amount in datiPagamentoPA, OLD-PSP-ERR-07); on OK the position goes In pagamento and
 * `activated` is told, to send the RPT once the answer has left.
 */
export function paaAttivaRPT(st: OldStation, m: RequestMessage, activated: (a: Attempt) => void): Answer {
  const { idDominio, iuv, ccp } = pptKeys(m);
  const idPSP = textOf(m.body, 'identificativoPSP') ?? '';
  const p = st.apa.position(idDominio, iuv);
  // the same activation again (the PSP retried after a lost answer): the same answer, no second RPT
  const again = st.apa.attempt(idDominio, iuv, ccp);
  if (p && again && again.origin === 'activation' && again.identificativoPSP === idPSP && (again.state === 'activated' || again.state === 'rpt-sent')) {
    return st.ok(m.op, { datiPagamentoPA: st.datiPagamentoPA(p) });
  }
  const f = st.stateFault(p, idDominio, iuv);
  if (f || !p) return st.ko(m.op, idDominio, f ?? { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `IUV ${iuv} unknown` });
  const amountText = pathText(m.body, 'datiPagamentoPSP', 'importoSingoloVersamento');
  const amount = parseAmount(amountText);
  if (amount !== p.amount && !st.has('old-amount-mismatch-ok')) {
    const data = st.has('old-importo-without-amount') ? {} : { datiPagamentoPA: st.datiPagamentoPA(p) };
    return st.ko(m.op, idDominio, { code: 'PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', description: `importoSingoloVersamento ${amountText} differs from the amount due ${(p.amount / 100).toFixed(2)}` }, data);
  }
  st.ec.archive.setState(p, 'in-progress', `paaAttivaRPT ${ccp}`, st.nowIso());
  const a = st.apa.addAttempt({
    idDominio, iuv, ccp, origin: 'activation', state: 'activated', createdAt: st.nowIso(),
    identificativoPSP: idPSP,
    identificativoIntermediarioPSP: textOf(m.body, 'identificativoIntermediarioPSP'),
    identificativoCanale: textOf(m.body, 'identificativoCanalePSP'),
    activatedAmount: amount ?? p.amount,
  });
  activated(a);
  return st.ok(m.op, { datiPagamentoPA: st.datiPagamentoPA(p) });
}
