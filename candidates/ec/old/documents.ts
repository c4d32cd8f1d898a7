// The documents the old-model station builds and reads (catalogue §1.6): the RPT it sends, the RT it
// receives and checks against its RPT (V-20, V-22), the RR of a revoca it answers with an ER, the RR
// of a storno it sends and the ER it receives. The one place of the station that touches document
// content: every element name is the XSD's (interfaces/old/documents), amounts are integer cents.
import { isoDate, isoDateTime } from '../../../src/core/clock.js';
import { type Cents, formatAmount, parseAmount } from '../../../domain/common.js';
import { type El, type Node, type NodeObj, child, childrenNamed, escapeXml, parseDocument, pathText, textOf, toEl } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';

export const PAY_I_NS = 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/';
export const RR_ER_NS = 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/Revoche/';

/** What the station keeps of an RPT it sent. */
export interface RptFacts {
  idDominio: string;
  iuv: string;
  ccp: string;
  identificativoMessaggioRichiesta: string;
  dataOraMessaggioRichiesta: string;
  importoTotaleDaVersare: Cents;
  singoli: { importo: Cents; datiSpecificiRiscossione: string; causale: string }[];
  tipoVersamento: string;
}

/** What the station reads of an RT. */
export interface RtFacts {
  idDominio?: string;
  identificativoMessaggioRicevuta?: string;
  dataOraMessaggioRicevuta?: string;
  riferimentoMessaggioRichiesta?: string;
  codiceEsitoPagamento?: string;
  importoTotalePagato?: Cents;
  iuv?: string;
  ccp?: string;
  singoli: { importo?: Cents; iur?: string; datiSpecificiRiscossione?: string; causale?: string }[];
  /** the whole document, for what a storno RR copies from it */
  el: El;
}

/** An element tree with every element qualified by `prefix` (the documents are elementFormDefault qualified). */
function qualified(prefix: string, name: string, v: Node, out: string[] = []): string[] {
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) {
    for (const x of v) qualified(prefix, name, x, out);
    return out;
  }
  if (typeof v === 'object') {
    out.push(`<${prefix}:${name}>`);
    for (const [k, c] of Object.entries(v)) qualified(prefix, k, c, out);
    out.push(`</${prefix}:${name}>`);
    return out;
  }
  out.push(`<${prefix}:${name}>${escapeXml(String(v))}</${prefix}:${name}>`);
  return out;
}

function documentXml(root: string, ns: string, content: NodeObj): string {
  const inner = Object.entries(content).flatMap(([k, v]) => qualified('pay_i', k, v)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><pay_i:${root} xmlns:pay_i="${ns}">${inner}</pay_i:${root}>`;
}

export interface RptInput {
  position: EcPosition;
  ccp: string;
  idStation: string;
  identificativoMessaggioRichiesta: string;
  now: number;
  tipoVersamento: string;
  /** the total to request (default: the position's amount); a defect may add a fee */
  amount?: Cents;
  autenticazioneSoggetto?: string;
}

/** The RPT of a position: one datiSingoloVersamento per transfer (1..5), Σ = total (TR-24). */
export function buildRpt(i: RptInput): { xml: string; facts: RptFacts } {
  const p = i.position;
  const total = i.amount ?? p.amount;
  const transfers = p.transfers.slice(0, 5);
  const extra = total - p.amount;
  const singoli = transfers.map((t, k) => ({
    importo: t.amount + (k === 0 ? extra : 0),
    datiSpecificiRiscossione: `9/${t.transferCategory ?? '0101101IM'}`.slice(0, 140),
    causale: t.remittanceInformation.slice(0, 140),
    iban: t.iban,
  }));
  const dataOra = isoDateTime(i.now);
  const content: NodeObj = {
    versioneOggetto: '6.2.0',
    dominio: { identificativoDominio: p.fiscalCode, identificativoStazioneRichiedente: i.idStation },
    identificativoMessaggioRichiesta: i.identificativoMessaggioRichiesta,
    dataOraMessaggioRichiesta: dataOra,
    autenticazioneSoggetto: i.autenticazioneSoggetto ?? 'N/A',
    soggettoPagatore: {
      identificativoUnivocoPagatore: { tipoIdentificativoUnivoco: p.debtor.type, codiceIdentificativoUnivoco: p.debtor.id },
      anagraficaPagatore: p.debtor.fullName.slice(0, 70),
      'e-mailPagatore': p.debtor.email,
    },
    enteBeneficiario: {
      identificativoUnivocoBeneficiario: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: p.fiscalCode },
      denominazioneBeneficiario: p.companyName.slice(0, 70),
    },
    datiVersamento: {
      dataEsecuzionePagamento: isoDate(i.now),
      importoTotaleDaVersare: formatAmount(total),
      tipoVersamento: i.tipoVersamento,
      identificativoUnivocoVersamento: p.iuv,
      codiceContestoPagamento: i.ccp,
      firmaRicevuta: '0',
      datiSingoloVersamento: singoli.map((s) => ({
        importoSingoloVersamento: formatAmount(s.importo),
        ibanAccredito: s.iban,
        causaleVersamento: s.causale,
        datiSpecificiRiscossione: s.datiSpecificiRiscossione,
      })),
    },
  };
  return {
    xml: documentXml('RPT', PAY_I_NS, content),
    facts: {
      idDominio: p.fiscalCode, iuv: p.iuv, ccp: i.ccp, identificativoMessaggioRichiesta: i.identificativoMessaggioRichiesta, dataOraMessaggioRichiesta: dataOra,
      importoTotaleDaVersare: total, tipoVersamento: i.tipoVersamento,
      singoli: singoli.map((s) => ({ importo: s.importo, datiSpecificiRiscossione: s.datiSpecificiRiscossione, causale: s.causale })),
    },
  };
}

export class DocumentError extends Error {}

/** The RT's facts from its XML (already validated against its schema by the pipeline). */
export function readRt(xml: string): RtFacts {
  const doc = parseDocument(xml);
  let rt: El;
  try {
    rt = toEl(doc.root);
  } finally {
    doc.dispose();
  }
  if (rt.name !== 'RT') throw new DocumentError(`the document is a ${rt.name}, not an RT`);
  const dp = child(rt, 'datiPagamento');
  return {
    el: rt,
    idDominio: pathText(rt, 'dominio', 'identificativoDominio'),
    identificativoMessaggioRicevuta: textOf(rt, 'identificativoMessaggioRicevuta'),
    dataOraMessaggioRicevuta: textOf(rt, 'dataOraMessaggioRicevuta'),
    riferimentoMessaggioRichiesta: textOf(rt, 'riferimentoMessaggioRichiesta'),
    codiceEsitoPagamento: textOf(dp, 'codiceEsitoPagamento'),
    importoTotalePagato: parseAmount(textOf(dp, 'importoTotalePagato')),
    iuv: textOf(dp, 'identificativoUnivocoVersamento'),
    ccp: textOf(dp, 'CodiceContestoPagamento'),
    singoli: childrenNamed(dp, 'datiSingoloPagamento').map((s) => ({
      importo: parseAmount(textOf(s, 'singoloImportoPagato')),
      iur: textOf(s, 'identificativoUnivocoRiscossione'),
      datiSpecificiRiscossione: textOf(s, 'datiSpecificiRiscossione'),
      causale: textOf(s, 'causaleVersamento'),
    })),
  };
}

/** codiceEsitoPagamento 0 (eseguito) or 2 (parzialmente eseguito) pays (TR-43). */
export const rtPays = (rt: RtFacts): boolean => rt.codiceEsitoPagamento === '0' || rt.codiceEsitoPagamento === '2';

/** RT ↔ RPT consistency (V-20, V-22, TR-24), each problem naming its rule and field. */
export function rtAgainstRpt(rpt: RptFacts, rt: RtFacts): string[] {
  const out: string[] = [];
  if (rt.idDominio !== rpt.idDominio) out.push(`V-20 dominio.identificativoDominio ${rt.idDominio} differs from the RPT's ${rpt.idDominio}`);
  if (rt.riferimentoMessaggioRichiesta !== rpt.identificativoMessaggioRichiesta) out.push(`V-20 riferimentoMessaggioRichiesta ${rt.riferimentoMessaggioRichiesta} is not the RPT's identificativoMessaggioRichiesta ${rpt.identificativoMessaggioRichiesta}`);
  if (rt.iuv !== rpt.iuv) out.push(`V-20 identificativoUnivocoVersamento ${rt.iuv} differs from the RPT's ${rpt.iuv}`);
  if (rt.ccp !== rpt.ccp) out.push(`V-20 CodiceContestoPagamento ${rt.ccp} differs from the RPT's ${rpt.ccp}`);
  const sum = rt.singoli.reduce((a, s) => a + (s.importo ?? 0), 0);
  if (rt.singoli.length && rt.importoTotalePagato !== sum) out.push(`TR-24 importoTotalePagato ${fmt(rt.importoTotalePagato)} is not the sum of singoloImportoPagato ${fmt(sum)}`);
  if (rt.codiceEsitoPagamento === '0') {
    if (rt.importoTotalePagato !== rpt.importoTotaleDaVersare) out.push(`V-22 importoTotalePagato ${fmt(rt.importoTotalePagato)} of a paid RT differs from the RPT's importoTotaleDaVersare ${fmt(rpt.importoTotaleDaVersare)}`);
    if (rt.singoli.length !== rpt.singoli.length) out.push(`V-20 the RT carries ${rt.singoli.length} datiSingoloPagamento for the RPT's ${rpt.singoli.length} datiSingoloVersamento`);
    rt.singoli.forEach((s, k) => {
      const v = rpt.singoli[k];
      if (!v) return;
      if (s.importo !== v.importo) out.push(`V-22 datiSingoloPagamento[${k + 1}].singoloImportoPagato ${fmt(s.importo)} differs from the RPT's ${fmt(v.importo)}`);
      if (s.datiSpecificiRiscossione !== v.datiSpecificiRiscossione) out.push(`V-20 datiSingoloPagamento[${k + 1}].datiSpecificiRiscossione is not the RPT's ${v.datiSpecificiRiscossione}`);
    });
  }
  return out;
}
const fmt = (c: Cents | undefined) => (c === undefined ? '(none)' : formatAmount(c));

/** What the station reads of an RR or an ER. */
export interface RevocaFacts {
  root: 'RR' | 'ER';
  idDominio?: string;
  identificativoMessaggio?: string;
  riferimentoMessaggioRevoca?: string;
  importoTotaleRevocato?: Cents;
  iuv?: string;
  ccp?: string;
  tipoRevoca?: string;
  singole: { importo?: Cents; iur?: string }[];
  el: El;
}

export function readRevoca(xml: string): RevocaFacts {
  const doc = parseDocument(xml);
  let e: El;
  try {
    e = toEl(doc.root);
  } finally {
    doc.dispose();
  }
  if (e.name !== 'RR' && e.name !== 'ER') throw new DocumentError(`the document is a ${e.name}, not an RR or ER`);
  const d = child(e, 'datiRevoca');
  return {
    el: e,
    root: e.name,
    idDominio: pathText(e, 'dominio', 'identificativoDominio'),
    identificativoMessaggio: textOf(e, e.name === 'RR' ? 'identificativoMessaggioRevoca' : 'identificativoMessaggioEsito'),
    riferimentoMessaggioRevoca: textOf(e, 'riferimentoMessaggioRevoca'),
    importoTotaleRevocato: parseAmount(textOf(d, 'importoTotaleRevocato')),
    iuv: textOf(d, 'identificativoUnivocoVersamento'),
    ccp: textOf(d, 'codiceContestoPagamento'),
    tipoRevoca: textOf(d, 'tipoRevoca'),
    singole: childrenNamed(d, 'datiSingolaRevoca').map((s) => ({
      importo: parseAmount(textOf(s, 'singoloImportoRevocato')),
      iur: textOf(s, 'identificativoUnivocoRiscossione'),
    })),
  };
}

/** An element's content as NodeObj (children in order; a repeated name becomes a list). */
function content(e: El | undefined, rename: (n: string) => string = (n) => n): NodeObj | undefined {
  if (!e) return undefined;
  const out: Record<string, Node> = {};
  for (const c of e.children) {
    const k = rename(c.name);
    const v: Node = c.children.length ? (content(c, rename) ?? {}) : c.text.trim();
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The ER answering an RR (revoca, P13): the RR's dominio, sender and payer, each single revoca
 * answered with its amount when accepted, 0.00 when refused (TR-44).
 */
export function buildEr(rr: RevocaFacts, o: { accepted: boolean; identificativoMessaggioEsito: string; now: number; causale: string }): string {
  const d = child(rr.el, 'datiRevoca');
  const singole = childrenNamed(d, 'datiSingolaRevoca').map((s) => ({
    singoloImportoRevocato: o.accepted ? (textOf(s, 'singoloImportoRevocato') ?? '0.00') : '0.00',
    identificativoUnivocoRiscossione: textOf(s, 'identificativoUnivocoRiscossione'),
    causaleEsito: o.causale.slice(0, 140),
    datiAggiuntiviEsito: (o.accepted ? 'Revoca accettata' : 'Revoca rifiutata').slice(0, 140),
  }));
  const total = o.accepted ? singole.reduce((a, s) => a + (parseAmount(s.singoloImportoRevocato) ?? 0), 0) : 0;
  return documentXml('ER', RR_ER_NS, {
    versioneOggetto: '1.0.0',
    dominio: content(child(rr.el, 'dominio')),
    identificativoMessaggioEsito: o.identificativoMessaggioEsito,
    dataOraMessaggioEsito: isoDateTime(o.now),
    riferimentoMessaggioRevoca: rr.identificativoMessaggio,
    riferimentoDataRevoca: (textOf(rr.el, 'dataOraMessaggioRevoca') ?? isoDateTime(o.now)).slice(0, 10),
    istitutoAttestante: content(child(rr.el, 'istitutoAttestante')),
    soggettoVersante: content(child(rr.el, 'soggettoVersante')),
    soggettoPagatore: content(child(rr.el, 'soggettoPagatore')),
    datiRevoca: {
      importoTotaleRevocato: formatAmount(total),
      identificativoUnivocoVersamento: rr.iuv,
      codiceContestoPagamento: rr.ccp,
      datiSingolaRevoca: singole,
    },
  });
}

/** The RR of a storno (P12) for a paid RT: its sender is the PSP that attested the payment; no tipoRevoca (V-28) unless a defect adds it. */
export function buildStornoRr(rt: RtFacts, o: { identificativoMessaggioRevoca: string; now: number; idStation: string; tipoRevoca?: string; causale: string }): string {
  const singoli = rt.singoli.filter((s) => (s.importo ?? 0) > 0);
  return documentXml('RR', RR_ER_NS, {
    versioneOggetto: '1.0.0',
    dominio: { identificativoDominio: rt.idDominio, identificativoStazioneRichiedente: o.idStation },
    identificativoMessaggioRevoca: o.identificativoMessaggioRevoca,
    dataOraMessaggioRevoca: isoDateTime(o.now),
    istitutoAttestante: content(child(rt.el, 'istitutoAttestante'), (n) => n.replace(/Attestante$/, 'Mittente')),
    soggettoVersante: content(child(rt.el, 'soggettoVersante')),
    soggettoPagatore: content(child(rt.el, 'soggettoPagatore')),
    datiRevoca: {
      importoTotaleRevocato: formatAmount(singoli.reduce((a, s) => a + (s.importo ?? 0), 0)),
      identificativoUnivocoVersamento: rt.iuv,
      codiceContestoPagamento: rt.ccp,
      tipoRevoca: o.tipoRevoca,
      datiSingolaRevoca: singoli.map((s) => ({
        singoloImportoRevocato: formatAmount(s.importo ?? 0),
        identificativoUnivocoRiscossione: s.iur,
        causaleRevoca: o.causale.slice(0, 140),
        datiAggiuntiviRevoca: 'Storno richiesto dal cittadino'.slice(0, 140),
      })),
    },
  });
}
