// The Nodo's checks of an RPT it receives (V-09, V-10, V-11, V-13, V-15, V-20): its keys against the
// request's, the sum rule, the accounts registered for the EC, the marca da bollo rule, duplicates.
// Each problem names the field and the rule, and carries the PPT_* code the catalogue gives it.
import type { Registry } from '../../../domain/registry.js';
import { rptChecks } from '../../../domain/old/index.js';
import type { Rejection } from '../../../src/wire/contract.js';
import type { RptView } from './docs.js';
import type { OldStore } from './store.js';

/** Semantic problems of `rpt` against the keys the request names; the first is the answer's fault. */
export function rptProblems(rpt: RptView, keys: { idDominio: string; iuv: string; ccp: string }, reg: Registry, store: OldStore, afterActivation?: { ccp: string }): Rejection[] {
  const out: Rejection[] = [];
  const sem = (description: string) => out.push({ code: 'PPT_SEMANTICA', description });
  // domain/old's rules of an RPT alone (V-10, V-11, V-15 …); its warnings are not refusals
  for (const p of rptChecks(rpt.doc, afterActivation ? { afterActivation: { codiceContestoPagamento: afterActivation.ccp } } : {})) {
    if (p.severity !== 'error') continue;
    // V-09 is about the accounts configured on the Nodo: PPT_IBAN_NON_CENSITO
    if (p.rule === 'V-09') out.push({ code: 'PPT_IBAN_NON_CENSITO', description: `${p.field}: ${p.message}` });
    else sem(`${p.rule} ${p.field}: ${p.message}`);
  }
  if (rpt.idDominio !== keys.idDominio) sem(`RPT dominio.identificativoDominio ${rpt.idDominio} differs from the request's identificativoDominio ${keys.idDominio}`);
  if (rpt.iuv !== keys.iuv) sem(`RPT identificativoUnivocoVersamento ${rpt.iuv} differs from the request's ${keys.iuv}`);
  if (rpt.ccp !== keys.ccp) sem(`RPT codiceContestoPagamento ${rpt.ccp} differs from the request's ${keys.ccp}`);
  // V-09: accounts registered for the EC (only where the registry lists the EC's accounts)
  const ec = reg.ecs.find((e) => e.fiscalCode === keys.idDominio);
  if (ec && ec.ibans.length) {
    for (const [i, s] of rpt.singoli.entries()) {
      for (const [field, iban] of [['ibanAccredito', s.ibanAccredito], ['ibanAppoggio', s.ibanAppoggio]] as const) {
        if (iban && !ec.ibans.includes(iban)) out.push({ code: 'PPT_IBAN_NON_CENSITO', description: `datiSingoloVersamento ${i + 1}: ${field} ${iban} is not among the accounts registered for ${keys.idDominio} (V-09)` });
      }
    }
  }
  // V-13: an RPT the Nodo holds already (a rejected one may be sent again)
  const known = store.find(keys.idDominio, keys.iuv, keys.ccp);
  if (known && known.stato !== 'RPT_RIFIUTATA_NODO') out.push({ code: 'PPT_RPT_DUPLICATA', description: `an RPT for ${keys.idDominio}/${keys.iuv}/${keys.ccp} was already received (state ${known.stato})` });
  // documented order of the answer's fault: duplicate, then meaning, then accounts
  const rank = (r: Rejection) => ['PPT_RPT_DUPLICATA', 'PPT_SEMANTICA', 'PPT_IBAN_NON_CENSITO'].indexOf(r.code);
  return out.sort((a, b) => rank(a) - rank(b));
}
