// The semantic rules between documents and of an RPT alone, beyond the XSD (catalogue §6): what the
// Nodo answers with PPT_SEMANTICA and the EC with PAA_SEMANTICA. Each Problem names the V-* rule, the
// field (a path in the document judged) and a stable `check` key; `refs` cites the TR-*/XSD facts.
import { isValidIban } from '../common.js';
import { datePart } from './outcomes.js';
import { STAMP_COST_CENTS, isSha256Base64 } from './stamps.js';
import type { Er, Rpt, Rr, Rt } from './types.js';
import type { Bi } from '../../src/core/text.js';

export interface Problem {
  /** the catalogue's validation rule, e.g. V-20 */
  rule: string;
  /** stable name of the check, e.g. rt.iuv (DOCUMENT_CHECKS) */
  check: DocumentCheck;
  /** path of the offending field in the document judged */
  field: string;
  message: string;
  /** the message in Italian (the certificate's Italian view); every Problem this module finds has it */
  textIt?: string;
  /** warnings are plausibility rules the seed implies without stating them as refusals */
  severity: 'error' | 'warning';
  refs?: string[];
}

/** Every check of this module: the catalogue rules it judges and what it asks (one place, for coverage). */
export const DOCUMENT_CHECKS = {
  'rpt.versamenti-count': { rules: ['V-10'], what: 'an RPT holds 1 to 5 datiSingoloVersamento' },
  'rpt.total': { rules: ['V-10'], what: 'importoTotaleDaVersare is the sum of importoSingoloVersamento' },
  'rpt.amount-zero': { rules: ['V-10'], what: 'RPT amounts are not 0.00' },
  'rpt.bollo-iban': { rules: ['V-11'], what: 'a digital stamp transfer has no ibanAccredito' },
  'rpt.bollo-hash': { rules: ['V-11'], what: 'hashDocumento is a base64 SHA-256 digest (32 octets)' },
  'rpt.bollo-importo': { rules: ['V-11'], what: "a digital stamp transfer's importoSingoloVersamento is the cost of its tipoBollo" },
  'rpt.iban-missing': { rules: ['V-09'], what: 'a transfer without a digital stamp names its ibanAccredito' },
  'rpt.iban-check': { rules: ['V-09'], what: 'ibanAccredito and ibanAppoggio pass the ISO 13616 check' },
  'rpt.iban-addebito': { rules: ['V-02'], what: 'ibanAddebito passes the ISO 13616 check' },
  'rpt.activation-po': { rules: ['V-15'], what: 'an RPT after paaAttivaRPT has tipoVersamento PO' },
  'rpt.activation-ccp': { rules: ['V-15'], what: "an RPT after paaAttivaRPT carries the activation's CCP" },
  'rpt.execution-date': { rules: ['V-02'], what: 'dataEsecuzionePagamento is not before the RPT (warning)' },
  'rpt.versante-is-pagatore': { rules: ['V-02'], what: 'soggettoVersante is omitted when it is the payer (warning)' },
  'rt.versione': { rules: ['V-20'], what: "versioneOggetto is the RPT's" },
  'rt.dominio': { rules: ['V-20'], what: "the dominio block is the RPT's" },
  'rt.iuv': { rules: ['V-20'], what: "the IUV is the RPT's" },
  'rt.ccp': { rules: ['V-20'], what: "the CCP is the RPT's" },
  'rt.riferimento-messaggio': { rules: ['V-20'], what: "riferimentoMessaggioRichiesta is the RPT's identificativoMessaggioRichiesta" },
  'rt.riferimento-data': { rules: ['V-20'], what: "riferimentoDataRichiesta is the date of the RPT's dataOraMessaggioRichiesta" },
  'rt.ente': { rules: ['V-20'], what: "the enteBeneficiario block is the RPT's" },
  'rt.pagatore': { rules: ['V-20'], what: "the soggettoPagatore block is the RPT's" },
  'rt.versante': { rules: ['V-20'], what: "the soggettoVersante block is the RPT's" },
  'rt.pagamenti-count': { rules: ['V-19'], what: 'one datiSingoloPagamento per datiSingoloVersamento (none allowed when nothing was paid)' },
  'rt.causale': { rules: ['V-20'], what: "causaleVersamento is copied from the RPT" },
  'rt.dati-specifici': { rules: ['V-20'], what: 'datiSpecificiRiscossione is copied from the RPT' },
  'rt.importo-singolo': { rules: ['V-20'], what: 'a paid transfer pays its importoSingoloVersamento' },
  'rt.esito-singolo': { rules: ['V-19'], what: 'esitoSingoloPagamento is present when singoloImportoPagato is 0.00' },
  'rt.total': { rules: ['V-19'], what: 'importoTotalePagato is the sum of singoloImportoPagato' },
  'rt.esito': { rules: ['V-19'], what: 'codiceEsitoPagamento matches the single outcomes' },
  'rt.importo-totale': { rules: ['V-20'], what: 'a positive RT pays importoTotaleDaVersare' },
  'rt.date-order': { rules: ['V-19'], what: 'the RT is not dated before its RPT (warning)' },
  'rr.tipo-revoca': { rules: ['V-24', 'V-28'], what: "tipoRevoca is present in a PSP's revoca, absent in the EC's storno" },
  'rr.rt-positive': { rules: ['V-28'], what: 'a storno revokes a positive RT' },
  'rr.dominio': { rules: ['V-24', 'V-28'], what: "identificativoDominio is the RT's" },
  'rr.iuv': { rules: ['V-24', 'V-28'], what: "the IUV is the RT's" },
  'rr.ccp': { rules: ['V-24', 'V-28'], what: "the CCP is the RT's" },
  'rr.mittente': { rules: ['V-24', 'V-28'], what: "the sender is the RT's attesting PSP" },
  'rr.iur': { rules: ['V-24', 'V-28'], what: 'every IUR revoked is in the RT' },
  'rr.importo-singolo': { rules: ['V-24', 'V-28'], what: 'no transfer revokes more than it paid (annullo tecnico aside)' },
  'rr.count': { rules: ['V-24', 'V-28'], what: 'no more revocations than the RT has transfers' },
  'rr.total': { rules: ['V-24', 'V-28'], what: 'importoTotaleRevocato is the sum of singoloImportoRevocato' },
  'er.riferimento-messaggio': { rules: ['V-26'], what: "riferimentoMessaggioRevoca is the RR's identificativoMessaggioRevoca" },
  'er.riferimento-data': { rules: ['V-26'], what: "riferimentoDataRevoca is the date of the RR's dataOraMessaggioRevoca" },
  'er.dominio': { rules: ['V-26'], what: "the dominio block is the RR's" },
  'er.iuv': { rules: ['V-26'], what: "the IUV is the RR's" },
  'er.ccp': { rules: ['V-26'], what: "the CCP is the RR's" },
  'er.mittente': { rules: ['V-26'], what: "the istitutoAttestante block is the RR's" },
  'er.pagatore': { rules: ['V-26'], what: "the soggettoPagatore block is the RR's" },
  'er.count': { rules: ['V-26'], what: 'one outcome per requested revocation' },
  'er.iur': { rules: ['V-26'], what: "each outcome's IUR is the RR's" },
  'er.importo-singolo': { rules: ['V-26'], what: 'each outcome revokes the requested amount or 0.00 (refused)' },
  'er.total': { rules: ['V-26'], what: 'importoTotaleRevocato is the sum of singoloImportoRevocato' },
} as const satisfies Record<string, { rules: readonly string[]; what: string }>;
export type DocumentCheck = keyof typeof DOCUMENT_CHECKS;

type Push = (rule: string, check: DocumentCheck, field: string, message: Bi, extra?: { severity?: 'warning'; refs?: string[] }) => void;
function collector(): { problems: Problem[]; push: Push } {
  const problems: Problem[] = [];
  const push: Push = (rule, check, field, message, extra) => {
    // a rule a check does not declare is a bug of this module, not of the document
    if (!(DOCUMENT_CHECKS[check].rules as readonly string[]).includes(rule)) throw new Error(`check ${check} does not judge ${rule}`);
    problems.push({ rule, check, field, message: message[0], textIt: message[1], severity: extra?.severity ?? 'error', ...(extra?.refs ? { refs: extra.refs } : {}) });
  };
  return { problems, push };
}

/** The first path where two values differ, or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
    if (d) return d;
  }
  return undefined;
}

const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
const eur = (c: number) => (c / 100).toFixed(2);
const ms = (dateTime: string) => Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(dateTime) ? dateTime : `${dateTime}Z`);

// ---------- RPT alone ----------

export interface RptContext {
  /** the RPT follows a paaAttivaRPT (PSP-started payment): V-15 applies */
  afterActivation?: { codiceContestoPagamento: string };
}

/** Semantic rules of an RPT alone (V-09, V-10, V-11, V-15 and plausibility of dates and parties). */
export function rptChecks(rpt: Rpt, ctx: RptContext = {}): Problem[] {
  const { problems, push } = collector();
  const dv = rpt.datiVersamento;
  const singoli = dv.datiSingoloVersamento;
  if (singoli.length < 1 || singoli.length > 5) push('V-10', 'rpt.versamenti-count', 'datiVersamento/datiSingoloVersamento', [`${singoli.length} transfers; an RPT holds 1 to 5`, `${singoli.length} versamenti; una RPT ne contiene da 1 a 5`], { refs: ['TR-23'] });
  const total = sum(singoli.map((s) => s.importoSingoloVersamento));
  if (total !== dv.importoTotaleDaVersare) {
    push('V-10', 'rpt.total', 'datiVersamento/importoTotaleDaVersare', [`importoTotaleDaVersare ${eur(dv.importoTotaleDaVersare)} differs from the sum of importoSingoloVersamento ${eur(total)}`, `importoTotaleDaVersare ${eur(dv.importoTotaleDaVersare)} differisce dalla somma degli importoSingoloVersamento ${eur(total)}`], { refs: ['TR-24'] });
  }
  if (dv.importoTotaleDaVersare <= 0) push('V-10', 'rpt.amount-zero', 'datiVersamento/importoTotaleDaVersare', ['must not be 0.00', 'non può essere 0.00'], { refs: ['TR-25'] });
  singoli.forEach((s, i) => {
    const at = `datiVersamento/datiSingoloVersamento[${i + 1}]`;
    if (s.importoSingoloVersamento <= 0) push('V-10', 'rpt.amount-zero', `${at}/importoSingoloVersamento`, ['must not be 0.00', 'non può essere 0.00'], { refs: ['TR-25'] });
    if (s.datiMarcaBolloDigitale) {
      if (s.ibanAccredito) push('V-11', 'rpt.bollo-iban', `${at}/ibanAccredito`, ['a digital stamp transfer (datiMarcaBolloDigitale) has no ibanAccredito', 'un versamento di marca da bollo digitale (datiMarcaBolloDigitale) non ha ibanAccredito']);
      const hash = Buffer.from(s.datiMarcaBolloDigitale.hashDocumento, 'base64');
      if (!isSha256Base64(s.datiMarcaBolloDigitale.hashDocumento)) push('V-11', 'rpt.bollo-hash', `${at}/datiMarcaBolloDigitale/hashDocumento`, [`decodes to ${hash.length} octets; a SHA-256 digest has 32, in base64`, `decodificato dà ${hash.length} ottetti; un digest SHA-256 ne ha 32, in base64`], { refs: ['TR-36'] });
      const cost = STAMP_COST_CENTS[s.datiMarcaBolloDigitale.tipoBollo];
      if (cost !== undefined && s.importoSingoloVersamento !== cost) push('V-11', 'rpt.bollo-importo', `${at}/importoSingoloVersamento`, [`${eur(s.importoSingoloVersamento)} is not the cost of tipoBollo ${s.datiMarcaBolloDigitale.tipoBollo} (${eur(cost)})`, `${eur(s.importoSingoloVersamento)} non è il costo del tipoBollo ${s.datiMarcaBolloDigitale.tipoBollo} (${eur(cost)})`], { refs: ['TR-36'] });
    } else if (!s.ibanAccredito) {
      push('V-09', 'rpt.iban-missing', `${at}/ibanAccredito`, ['a transfer without datiMarcaBolloDigitale needs the ibanAccredito configured on the Nodo', "un versamento senza datiMarcaBolloDigitale richiede l'ibanAccredito configurato sul Nodo"]);
    }
    for (const k of ['ibanAccredito', 'ibanAppoggio'] as const) {
      const v = s[k];
      if (v && !isValidIban(v.toUpperCase())) push('V-09', 'rpt.iban-check', `${at}/${k}`, [`${v} fails the ISO 13616 check digits: no configured account has it`, `${v} non supera le cifre di controllo ISO 13616: nessun conto configurato lo ha`]);
    }
  });
  if (dv.ibanAddebito && !isValidIban(dv.ibanAddebito.toUpperCase())) push('V-02', 'rpt.iban-addebito', 'datiVersamento/ibanAddebito', [`${dv.ibanAddebito} fails the ISO 13616 check digits`, `${dv.ibanAddebito} non supera le cifre di controllo ISO 13616`]);
  if (ctx.afterActivation) {
    if (dv.tipoVersamento !== 'PO') push('V-15', 'rpt.activation-po', 'datiVersamento/tipoVersamento', [`an RPT after paaAttivaRPT has tipoVersamento PO, not ${dv.tipoVersamento}`, `una RPT dopo paaAttivaRPT ha tipoVersamento PO, non ${dv.tipoVersamento}`], { refs: ['TR-41'] });
    if (dv.codiceContestoPagamento !== ctx.afterActivation.codiceContestoPagamento) {
      push('V-15', 'rpt.activation-ccp', 'datiVersamento/codiceContestoPagamento', [`CCP ${dv.codiceContestoPagamento} differs from the activation's ${ctx.afterActivation.codiceContestoPagamento}`, `CCP ${dv.codiceContestoPagamento} diverso da quello dell'attivazione ${ctx.afterActivation.codiceContestoPagamento}`]);
    }
  }
  if (dv.dataEsecuzionePagamento < datePart(rpt.dataOraMessaggioRichiesta)) {
    push('V-02', 'rpt.execution-date', 'datiVersamento/dataEsecuzionePagamento', [`${dv.dataEsecuzionePagamento} is before the RPT's own date ${datePart(rpt.dataOraMessaggioRichiesta)}`, `${dv.dataEsecuzionePagamento} è anteriore alla data della RPT stessa ${datePart(rpt.dataOraMessaggioRichiesta)}`], { severity: 'warning' });
  }
  if (rpt.soggettoVersante && rpt.soggettoVersante.identificativoUnivocoVersante.codiceIdentificativoUnivoco === rpt.soggettoPagatore.identificativoUnivocoPagatore.codiceIdentificativoUnivoco) {
    push('V-02', 'rpt.versante-is-pagatore', 'soggettoVersante', ['the payer pays for themselves: soggettoVersante must be omitted (XSD documentation)', 'il pagatore paga per sé: soggettoVersante va omesso (documentazione XSD)'], { severity: 'warning' });
  }
  return problems;
}

// ---------- RT against its RPT ----------

/**
 * Consistency of an RT with its RPT (V-20: IUV, CCP, references and copied fields unchanged) and the
 * RT's own semantics (V-19: sums and outcome codes, TR-23, TR-24, TR-43).
 */
export function rtAgainstRpt(rpt: Rpt, rt: Rt): Problem[] {
  const { problems, push } = collector();
  const dv = rpt.datiVersamento;
  const dp = rt.datiPagamento;
  const same = (check: DocumentCheck, field: string, a: unknown, b: unknown, what: Bi) => {
    const d = firstDifference(a, b, field);
    if (d) push('V-20', check, d, [`${what[0]} differs from the RPT's`, `${what[1]} differisce da quanto indicato nella RPT`]);
  };
  same('rt.versione', 'versioneOggetto', rpt.versioneOggetto, rt.versioneOggetto, ['versioneOggetto', 'versioneOggetto']);
  same('rt.dominio', 'dominio', rpt.dominio, rt.dominio, ['the dominio block', 'il blocco dominio']);
  same('rt.iuv', 'datiPagamento/identificativoUnivocoVersamento', dv.identificativoUnivocoVersamento, dp.identificativoUnivocoVersamento, ['the IUV', 'lo IUV']);
  same('rt.ccp', 'datiPagamento/CodiceContestoPagamento', dv.codiceContestoPagamento, dp.CodiceContestoPagamento, ['the CCP', 'il CCP']);
  if (rt.riferimentoMessaggioRichiesta !== rpt.identificativoMessaggioRichiesta) {
    push('V-20', 'rt.riferimento-messaggio', 'riferimentoMessaggioRichiesta', [`${rt.riferimentoMessaggioRichiesta} is not the RPT's identificativoMessaggioRichiesta ${rpt.identificativoMessaggioRichiesta}`, `${rt.riferimentoMessaggioRichiesta} non è l'identificativoMessaggioRichiesta della RPT ${rpt.identificativoMessaggioRichiesta}`]);
  }
  if (rt.riferimentoDataRichiesta !== datePart(rpt.dataOraMessaggioRichiesta)) {
    push('V-20', 'rt.riferimento-data', 'riferimentoDataRichiesta', [`${rt.riferimentoDataRichiesta} is not the date of the RPT's dataOraMessaggioRichiesta ${rpt.dataOraMessaggioRichiesta}`, `${rt.riferimentoDataRichiesta} non è la data del dataOraMessaggioRichiesta della RPT ${rpt.dataOraMessaggioRichiesta}`]);
  }
  same('rt.ente', 'enteBeneficiario', rpt.enteBeneficiario, rt.enteBeneficiario, ['the enteBeneficiario block', 'il blocco enteBeneficiario']);
  same('rt.pagatore', 'soggettoPagatore', rpt.soggettoPagatore, rt.soggettoPagatore, ['the soggettoPagatore block', 'il blocco soggettoPagatore']);
  same('rt.versante', 'soggettoVersante', rpt.soggettoVersante, rt.soggettoVersante, ['the soggettoVersante block', 'il blocco soggettoVersante']);

  const versamenti = dv.datiSingoloVersamento;
  const pagamenti = dp.datiSingoloPagamento ?? [];
  const code = dp.codiceEsitoPagamento;
  const notPaidCode = code === '1' || code === '3';
  if (pagamenti.length !== versamenti.length && !(notPaidCode && pagamenti.length === 0)) {
    const expect = notPaidCode ? `0 or ${versamenti.length}` : String(versamenti.length);
    const expectIt = notPaidCode ? `0 o ${versamenti.length}` : String(versamenti.length);
    push('V-19', 'rt.pagamenti-count', 'datiPagamento/datiSingoloPagamento', [`${pagamenti.length} datiSingoloPagamento for ${versamenti.length} datiSingoloVersamento; codiceEsitoPagamento ${code} needs ${expect}`, `${pagamenti.length} datiSingoloPagamento per ${versamenti.length} datiSingoloVersamento; codiceEsitoPagamento ${code} ne richiede ${expectIt}`], { refs: ['TR-23', 'TR-43'] });
  }
  pagamenti.forEach((p, i) => {
    const v = versamenti[i];
    const at = `datiPagamento/datiSingoloPagamento[${i + 1}]`;
    if (!v) return;
    if (p.causaleVersamento !== v.causaleVersamento) push('V-20', 'rt.causale', `${at}/causaleVersamento`, ['causaleVersamento is not copied unchanged from the RPT', 'causaleVersamento non è copiato invariato dalla RPT']);
    if (p.datiSpecificiRiscossione !== v.datiSpecificiRiscossione) push('V-20', 'rt.dati-specifici', `${at}/datiSpecificiRiscossione`, ['datiSpecificiRiscossione is not copied unchanged from the RPT', 'datiSpecificiRiscossione non è copiato invariato dalla RPT']);
    if (p.singoloImportoPagato > 0 && p.singoloImportoPagato !== v.importoSingoloVersamento) {
      push('V-20', 'rt.importo-singolo', `${at}/singoloImportoPagato`, [`paid ${eur(p.singoloImportoPagato)} where the RPT asks ${eur(v.importoSingoloVersamento)}`, `pagato ${eur(p.singoloImportoPagato)} dove la RPT chiede ${eur(v.importoSingoloVersamento)}`]);
    }
    if (p.singoloImportoPagato === 0 && !p.esitoSingoloPagamento) push('V-19', 'rt.esito-singolo', `${at}/esitoSingoloPagamento`, ['is required when singoloImportoPagato is 0.00', 'è obbligatorio quando singoloImportoPagato è 0.00'], { refs: ['TR-43'] });
  });
  const total = sum(pagamenti.map((p) => p.singoloImportoPagato));
  if (total !== dp.importoTotalePagato) {
    push('V-19', 'rt.total', 'datiPagamento/importoTotalePagato', [`importoTotalePagato ${eur(dp.importoTotalePagato)} differs from the sum of singoloImportoPagato ${eur(total)}`, `importoTotalePagato ${eur(dp.importoTotalePagato)} differisce dalla somma dei singoloImportoPagato ${eur(total)}`], { refs: ['TR-24'] });
  }
  const paid = pagamenti.filter((p) => p.singoloImportoPagato > 0).length;
  const consistent =
    code === '0' ? pagamenti.length > 0 && paid === pagamenti.length : notPaidCode ? paid === 0 && dp.importoTotalePagato === 0 : paid > 0 && paid < pagamenti.length;
  if (!consistent) {
    push('V-19', 'rt.esito', 'datiPagamento/codiceEsitoPagamento', [`codiceEsitoPagamento ${code} does not match the single outcomes (${paid} of ${pagamenti.length} transfers paid)`, `codiceEsitoPagamento ${code} non corrisponde agli esiti dei singoli pagamenti (${paid} pagati su ${pagamenti.length})`], { refs: ['TR-43'] });
  }
  if (code === '0' && dp.importoTotalePagato !== dv.importoTotaleDaVersare) {
    push('V-20', 'rt.importo-totale', 'datiPagamento/importoTotalePagato', [`a positive RT pays ${eur(dp.importoTotalePagato)} where the RPT asks ${eur(dv.importoTotaleDaVersare)}`, `una RT positiva paga ${eur(dp.importoTotalePagato)} dove la RPT chiede ${eur(dv.importoTotaleDaVersare)}`]);
  }
  if (ms(rt.dataOraMessaggioRicevuta) < ms(rpt.dataOraMessaggioRichiesta)) {
    push('V-19', 'rt.date-order', 'dataOraMessaggioRicevuta', [`${rt.dataOraMessaggioRicevuta} is before the RPT's dataOraMessaggioRichiesta ${rpt.dataOraMessaggioRichiesta}`, `${rt.dataOraMessaggioRicevuta} è anteriore al dataOraMessaggioRichiesta della RPT ${rpt.dataOraMessaggioRichiesta}`], { severity: 'warning' });
  }
  return problems;
}

// ---------- RR against its RT, ER against its RR ----------

/**
 * An RR against the RT it revokes: revoca by the PSP carries tipoRevoca (V-24), storno by the EC does
 * not and needs a positive RT (V-28); IUV, CCP, IUR, sender and amounts must match the RT.
 */
export function rrAgainstRt(rt: Rt, rr: Rr, kind: 'revoca' | 'storno' = rr.datiRevoca.tipoRevoca === undefined ? 'storno' : 'revoca'): Problem[] {
  const { problems, push } = collector();
  const rule = kind === 'revoca' ? 'V-24' : 'V-28';
  const dr = rr.datiRevoca;
  const dp = rt.datiPagamento;
  if (kind === 'revoca' && dr.tipoRevoca === undefined) push('V-24', 'rr.tipo-revoca', 'datiRevoca/tipoRevoca', ["is required in a PSP's revoca", 'è obbligatorio nella revoca di un PSP']);
  if (kind === 'storno' && dr.tipoRevoca !== undefined) push('V-28', 'rr.tipo-revoca', 'datiRevoca/tipoRevoca', ["must be absent in the EC's storno", "deve mancare nello storno dell'EC"]);
  if (kind === 'storno' && dp.codiceEsitoPagamento !== '0' && dp.codiceEsitoPagamento !== '2') {
    push('V-28', 'rr.rt-positive', 'datiRevoca/identificativoUnivocoVersamento', [`a storno needs a positive RT; this one has codiceEsitoPagamento ${dp.codiceEsitoPagamento}`, `uno storno richiede una RT positiva; questa ha codiceEsitoPagamento ${dp.codiceEsitoPagamento}`]);
  }
  const d = firstDifference(rt.dominio.identificativoDominio, rr.dominio.identificativoDominio, 'dominio/identificativoDominio');
  if (d) push(rule, 'rr.dominio', d, ["identificativoDominio differs from the RT's", 'identificativoDominio differisce da quello della RT']);
  if (dr.identificativoUnivocoVersamento !== dp.identificativoUnivocoVersamento) push(rule, 'rr.iuv', 'datiRevoca/identificativoUnivocoVersamento', ["the IUV differs from the RT's", 'lo IUV differisce da quello della RT']);
  if (dr.codiceContestoPagamento !== dp.CodiceContestoPagamento) push(rule, 'rr.ccp', 'datiRevoca/codiceContestoPagamento', ["the CCP differs from the RT's", 'il CCP differisce da quello della RT']);
  const mittente = firstDifference(rt.istitutoAttestante.identificativoUnivocoAttestante, rr.istitutoAttestante.identificativoUnivocoMittente, 'istitutoAttestante/identificativoUnivocoMittente');
  if (mittente) push(rule, 'rr.mittente', mittente, ["the sender is not the RT's attesting PSP", 'il mittente non è il PSP attestante della RT']);
  const pagamenti = dp.datiSingoloPagamento ?? [];
  const iurs = new Set(pagamenti.map((p) => p.identificativoUnivocoRiscossione));
  dr.datiSingolaRevoca.forEach((s, i) => {
    const at = `datiRevoca/datiSingolaRevoca[${i + 1}]`;
    if (!iurs.has(s.identificativoUnivocoRiscossione)) push(rule, 'rr.iur', `${at}/identificativoUnivocoRiscossione`, [`IUR ${s.identificativoUnivocoRiscossione} is not in the RT`, `lo IUR ${s.identificativoUnivocoRiscossione} non è nella RT`]);
    const p = pagamenti[i];
    // annullo tecnico may revoke what a negative RT did not record (OLD-REV-AT-02): no amount bound then
    if (p && dr.tipoRevoca !== '1' && s.singoloImportoRevocato > p.singoloImportoPagato) {
      push(rule, 'rr.importo-singolo', `${at}/singoloImportoRevocato`, [`revokes ${eur(s.singoloImportoRevocato)}, more than the ${eur(p.singoloImportoPagato)} paid`, `revoca ${eur(s.singoloImportoRevocato)}, più dei ${eur(p.singoloImportoPagato)} pagati`]);
    }
  });
  if (dr.datiSingolaRevoca.length > Math.max(pagamenti.length, 1)) {
    push(rule, 'rr.count', 'datiRevoca/datiSingolaRevoca', [`${dr.datiSingolaRevoca.length} transfers revoked, the RT has ${pagamenti.length}`, `${dr.datiSingolaRevoca.length} pagamenti revocati, la RT ne ha ${pagamenti.length}`]);
  }
  const total = sum(dr.datiSingolaRevoca.map((s) => s.singoloImportoRevocato));
  if (total !== dr.importoTotaleRevocato) {
    push(rule, 'rr.total', 'datiRevoca/importoTotaleRevocato', [`importoTotaleRevocato ${eur(dr.importoTotaleRevocato)} differs from the sum of singoloImportoRevocato ${eur(total)}`, `importoTotaleRevocato ${eur(dr.importoTotaleRevocato)} differisce dalla somma dei singoloImportoRevocato ${eur(total)}`], { refs: ['TR-24'] });
  }
  return problems;
}

/** An ER against its RR (V-26 at the Nodo, V-27 at the EC or PSP): references, keys, transfers and amounts. */
export function erAgainstRr(rr: Rr, er: Er): Problem[] {
  const { problems, push } = collector();
  const refs = ['V-27'];
  const p = (check: DocumentCheck, field: string, message: Bi, more: string[] = []) => push('V-26', check, field, message, { refs: [...refs, ...more] });
  if (er.riferimentoMessaggioRevoca !== rr.identificativoMessaggioRevoca) p('er.riferimento-messaggio', 'riferimentoMessaggioRevoca', [`${er.riferimentoMessaggioRevoca} is not the RR's identificativoMessaggioRevoca ${rr.identificativoMessaggioRevoca}`, `${er.riferimentoMessaggioRevoca} non è l'identificativoMessaggioRevoca della RR ${rr.identificativoMessaggioRevoca}`]);
  if (er.riferimentoDataRevoca !== datePart(rr.dataOraMessaggioRevoca)) p('er.riferimento-data', 'riferimentoDataRevoca', [`${er.riferimentoDataRevoca} is not the date of the RR's dataOraMessaggioRevoca ${rr.dataOraMessaggioRevoca}`, `${er.riferimentoDataRevoca} non è la data del dataOraMessaggioRevoca della RR ${rr.dataOraMessaggioRevoca}`]);
  const d = firstDifference(rr.dominio, er.dominio, 'dominio');
  if (d) p('er.dominio', d, ["the dominio block differs from the RR's", 'il blocco dominio differisce da quello della RR']);
  const dr = rr.datiRevoca;
  const de = er.datiRevoca;
  if (de.identificativoUnivocoVersamento !== dr.identificativoUnivocoVersamento) p('er.iuv', 'datiRevoca/identificativoUnivocoVersamento', ["the IUV differs from the RR's", 'lo IUV differisce da quello della RR']);
  if (de.codiceContestoPagamento !== dr.codiceContestoPagamento) p('er.ccp', 'datiRevoca/codiceContestoPagamento', ["the CCP differs from the RR's", 'il CCP differisce da quello della RR']);
  const mittente = firstDifference(rr.istitutoAttestante, er.istitutoAttestante, 'istitutoAttestante');
  if (mittente) p('er.mittente', mittente, ["the istitutoAttestante block differs from the RR's", 'il blocco istitutoAttestante differisce da quello della RR']);
  const pag = firstDifference(rr.soggettoPagatore, er.soggettoPagatore, 'soggettoPagatore');
  if (pag) p('er.pagatore', pag, ["the soggettoPagatore block differs from the RR's", 'il blocco soggettoPagatore differisce da quello della RR']);
  if (de.datiSingolaRevoca.length !== dr.datiSingolaRevoca.length) {
    p('er.count', 'datiRevoca/datiSingolaRevoca', [`${de.datiSingolaRevoca.length} outcomes for ${dr.datiSingolaRevoca.length} requested revocations`, `${de.datiSingolaRevoca.length} esiti per ${dr.datiSingolaRevoca.length} revoche richieste`]);
  }
  de.datiSingolaRevoca.forEach((e, i) => {
    const r = dr.datiSingolaRevoca[i];
    const at = `datiRevoca/datiSingolaRevoca[${i + 1}]`;
    if (!r) return;
    if (e.identificativoUnivocoRiscossione !== r.identificativoUnivocoRiscossione) p('er.iur', `${at}/identificativoUnivocoRiscossione`, ["the IUR differs from the RR's", 'lo IUR differisce da quello della RR']);
    if (e.singoloImportoRevocato !== 0 && e.singoloImportoRevocato !== r.singoloImportoRevocato) {
      p('er.importo-singolo', `${at}/singoloImportoRevocato`, [`${eur(e.singoloImportoRevocato)} is neither the requested ${eur(r.singoloImportoRevocato)} nor 0.00 (refused)`, `${eur(e.singoloImportoRevocato)} non è né l'importo richiesto ${eur(r.singoloImportoRevocato)} né 0.00 (rifiuto)`], ['TR-44']);
    }
  });
  const total = sum(de.datiSingolaRevoca.map((e) => e.singoloImportoRevocato));
  if (total !== de.importoTotaleRevocato) p('er.total', 'datiRevoca/importoTotaleRevocato', [`importoTotaleRevocato ${eur(de.importoTotaleRevocato)} differs from the sum of singoloImportoRevocato ${eur(total)}`, `importoTotaleRevocato ${eur(de.importoTotaleRevocato)} differisce dalla somma dei singoloImportoRevocato ${eur(total)}`], ['TR-24']);
  return problems;
}
