/**
 * The documents one party builds for another (rtFor, rrFor, erFor, ackFor) and the semantic rules of
 * catalogue §6 (rptChecks, rtAgainstRpt, rrAgainstRt, erAgainstRr): what is built validates against our
 * schema (and the official one when present) and satisfies the rules; each rule catches its own kind
 * of inconsistency, naming the V-* id and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_API_DIR, PACKAGE_ROOT } from '../src/core/paths.js';
import { parseDocument } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';
import { makeIban } from '../domain/common.js';
import * as old from '../domain/old/index.js';
import { englishIn } from './support/english.js';

const SAMPLES = path.join(PACKAGE_ROOT, 'fixtures', 'xsd-samples', 'old');
const sample = (f: string) => readFileSync(path.join(SAMPLES, f), 'utf8');
const OURS = path.join(PACKAGE_ROOT, 'interfaces', 'old', 'documents');
const officialFile = (f: string) => path.join(OFFICIAL_API_DIR, f.startsWith('RR_ER') ? 'general' : 'gad/xsd', f);

/** Errors of a document against our schema and, when present, the official one. */
function schemaErrors(xml: string, kind: old.OldDocumentName): string[] {
  const doc = parseDocument(xml);
  try {
    const file = old.OLD_DOCUMENT_SCHEMAS[kind];
    const errors = validateElement(doc.root, path.join(OURS, file)).errors;
    if (existsSync(officialFile(file))) errors.push(...validateElement(doc.root, officialFile(file)).errors.map((e) => `official: ${e}`));
    return errors;
  } finally {
    doc.dispose();
  }
}

const NOW = Date.UTC(2026, 11, 4, 11, 0, 0);
const rpt = () => old.readRpt(sample('RPT.valid.xml'));
const rptFull = () => old.readRpt(sample('RPT.valid-all-fields.xml'));
const clone = <T>(x: T): T => structuredClone(x);
const errorsOf = (ps: old.Problem[]) => ps.filter((p) => p.severity === 'error');

/** The checks the cases below made fire: every one of DOCUMENT_CHECKS must be among them (last test). */
const exercised = new Set<string>();

/** The numbers a text states, in order of value (both languages of a problem state the same ones). */
const numbersOf = (text: string) => (text.match(/\d+(?:\.\d+)?/g) ?? []).sort();

/** Asserts the problems hold one with this check, rule and field; each problem is said in Italian too, with the same figures. */
function expectProblem(ps: old.Problem[], check: string, rule: string, field: string, severity: 'error' | 'warning' = 'error') {
  exercised.add(check);
  const hit = ps.find((p) => p.check === check);
  expect(hit, `no ${check} among ${JSON.stringify(ps)}`).toBeDefined();
  expect(hit).toMatchObject({ rule, field, severity });
  expect(hit!.message.length).toBeGreaterThan(10);
  for (const p of ps) {
    expect(p.textIt, `${p.check}: no Italian for "${p.message}"`).toBeTruthy();
    expect(englishIn(p.textIt!), `${p.check}: ${p.textIt}`).toEqual([]);
    expect(numbersOf(p.textIt!), `${p.check}: ${p.message} / ${p.textIt}`).toEqual(numbersOf(p.message));
  }
}

describe('rtFor', () => {
  const outcomes: [string, old.RtOutcome, old.CodiceEsitoPagamento][] = [
    ['positive', 'positive', '0'],
    ['negative', 'negative', '1'],
    ['partial', { paid: [true, false] }, '2'],
    ['expired', 'expired', '3'],
    ['partly expired', { paid: [false, true], expired: true }, '4'],
  ];
  it.each(outcomes)('%s RT validates and satisfies rtAgainstRpt', (_n, outcome, code) => {
    const r = rpt();
    const rt = old.rtFor(r, outcome, { now: NOW });
    expect(rt.datiPagamento.codiceEsitoPagamento).toBe(code);
    expect(schemaErrors(old.rtXml(rt), 'RT')).toEqual([]);
    expect(old.rtAgainstRpt(r, rt)).toEqual([]);
  });
  it('positive: every transfer paid in full with an IUR, dates from the injected time', () => {
    const r = rpt();
    const rt = old.rtFor(r, 'positive', { now: NOW });
    const singoli = rt.datiPagamento.datiSingoloPagamento!;
    expect(singoli.map((s) => s.singoloImportoPagato)).toEqual(r.datiVersamento.datiSingoloVersamento.map((s) => s.importoSingoloVersamento));
    expect(rt.datiPagamento.importoTotalePagato).toBe(r.datiVersamento.importoTotaleDaVersare);
    for (const s of singoli) expect(s.identificativoUnivocoRiscossione).toMatch(/^IUR2026120411/);
    expect(rt.dataOraMessaggioRicevuta).toBe('2026-12-04T11:00:00');
    expect(singoli[0]!.dataEsitoSingoloPagamento).toBe('2026-12-04');
    expect(rt.riferimentoMessaggioRichiesta).toBe(r.identificativoMessaggioRichiesta);
    expect(rt.datiPagamento.CodiceContestoPagamento).toBe(r.datiVersamento.codiceContestoPagamento);
  });
  it('negative: amounts 0.00 and an esitoSingoloPagamento on each transfer, or no transfers at all', () => {
    const r = rpt();
    const rt = old.rtFor(r, 'negative', { now: NOW });
    expect(rt.datiPagamento.importoTotalePagato).toBe(0);
    for (const s of rt.datiPagamento.datiSingoloPagamento!) {
      expect(s.singoloImportoPagato).toBe(0);
      expect(s.esitoSingoloPagamento).toBeTruthy();
    }
    const none = old.rtFor(r, 'negative', { now: NOW, singoliNotPaid: 'none' });
    expect(none.datiPagamento.datiSingoloPagamento).toBeUndefined();
    expect(schemaErrors(old.rtXml(none), 'RT')).toEqual([]);
    expect(old.rtAgainstRpt(r, none)).toEqual([]);
  });
  it('takes the IUR, the attesting PSP and the message id from the options', () => {
    const att: old.IstitutoAttestante = { identificativoUnivocoAttestante: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: '12345678901' }, denominazioneAttestante: 'Banca Esempio' };
    const rt = old.rtFor(rptFull(), 'positive', { now: NOW, iur: (i) => `CRO-${i}`, istitutoAttestante: att, identificativoMessaggioRicevuta: 'RT-1' });
    expect(rt.datiPagamento.datiSingoloPagamento!.map((s) => s.identificativoUnivocoRiscossione)).toEqual(['CRO-0', 'CRO-1']);
    expect(rt.istitutoAttestante).toEqual(att);
    expect(rt.identificativoMessaggioRicevuta).toBe('RT-1');
    expect(rt.soggettoVersante).toEqual(rptFull().soggettoVersante);
    expect(schemaErrors(old.rtXml(rt), 'RT')).toEqual([]);
  });
  it('copies the parties deep: changing the RT leaves the RPT alone', () => {
    const r = rpt();
    const rt = old.rtFor(r, 'positive', { now: NOW });
    rt.soggettoPagatore.anagraficaPagatore = 'Altro';
    rt.enteBeneficiario.identificativoUnivocoBeneficiario.codiceIdentificativoUnivoco = '11111111111';
    expect(r).toEqual(rpt());
  });
  it('refuses a partial outcome that is not partial or names the wrong number of transfers', () => {
    expect(() => old.rtFor(rpt(), { paid: [true, true] }, { now: NOW })).toThrow(RangeError);
    expect(() => old.rtFor(rpt(), { paid: [true] }, { now: NOW })).toThrow(RangeError);
  });
});

describe('rtAgainstRpt: one rule at a time', () => {
  const positive = () => old.rtFor(rpt(), 'positive', { now: NOW });
  const negative = () => old.rtFor(rpt(), 'negative', { now: NOW });
  const cases: [string, string, string, () => old.Rt, ('error' | 'warning')?][] = [
    ['rt.versione', 'V-20', 'versioneOggetto', () => ({ ...positive(), versioneOggetto: '6.1.0' })],
    ['rt.dominio', 'V-20', 'dominio/identificativoDominio', () => ({ ...positive(), dominio: { identificativoDominio: '11111111111', identificativoStazioneRichiedente: '77777777777_01' } })],
    ['rt.iuv', 'V-20', 'datiPagamento/identificativoUnivocoVersamento', () => { const rt = positive(); rt.datiPagamento.identificativoUnivocoVersamento = '01000000000000000'; return rt; }],
    ['rt.ccp', 'V-20', 'datiPagamento/CodiceContestoPagamento', () => { const rt = positive(); rt.datiPagamento.CodiceContestoPagamento = 'other-ccp'; return rt; }],
    ['rt.riferimento-messaggio', 'V-20', 'riferimentoMessaggioRichiesta', () => ({ ...positive(), riferimentoMessaggioRichiesta: 'MSG-OTHER' })],
    ['rt.riferimento-data', 'V-20', 'riferimentoDataRichiesta', () => ({ ...positive(), riferimentoDataRichiesta: '2026-12-03' })],
    ['rt.ente', 'V-20', 'enteBeneficiario/denominazioneBeneficiario', () => { const rt = positive(); rt.enteBeneficiario = { ...rt.enteBeneficiario, denominazioneBeneficiario: 'Altro Ente' }; return rt; }],
    ['rt.pagatore', 'V-20', 'soggettoPagatore/identificativoUnivocoPagatore/codiceIdentificativoUnivoco', () => { const rt = clone(positive()); rt.soggettoPagatore.identificativoUnivocoPagatore.codiceIdentificativoUnivoco = 'VRDGPP80A01H501X'; return rt; }],
    ['rt.versante', 'V-20', 'soggettoVersante', () => ({ ...positive(), soggettoVersante: rptFull().soggettoVersante! })],
    ['rt.pagamenti-count', 'V-19', 'datiPagamento/datiSingoloPagamento', () => { const rt = positive(); rt.datiPagamento.datiSingoloPagamento!.pop(); return rt; }],
    ['rt.causale', 'V-20', 'datiPagamento/datiSingoloPagamento[2]/causaleVersamento', () => { const rt = positive(); rt.datiPagamento.datiSingoloPagamento![1]!.causaleVersamento = 'changed'; return rt; }],
    ['rt.dati-specifici', 'V-20', 'datiPagamento/datiSingoloPagamento[1]/datiSpecificiRiscossione', () => { const rt = positive(); rt.datiPagamento.datiSingoloPagamento![0]!.datiSpecificiRiscossione = '9/other'; return rt; }],
    ['rt.importo-singolo', 'V-20', 'datiPagamento/datiSingoloPagamento[1]/singoloImportoPagato', () => { const rt = positive(); rt.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato = 9999; rt.datiPagamento.importoTotalePagato = 9999 + 5050; return rt; }],
    ['rt.esito-singolo', 'V-19', 'datiPagamento/datiSingoloPagamento[2]/esitoSingoloPagamento', () => { const rt = negative(); delete rt.datiPagamento.datiSingoloPagamento![1]!.esitoSingoloPagamento; return rt; }],
    ['rt.total', 'V-19', 'datiPagamento/importoTotalePagato', () => { const rt = positive(); rt.datiPagamento.importoTotalePagato = 10000; return rt; }],
    ['rt.esito', 'V-19', 'datiPagamento/codiceEsitoPagamento', () => { const rt = negative(); rt.datiPagamento.codiceEsitoPagamento = '0'; return rt; }],
    ['rt.importo-totale', 'V-20', 'datiPagamento/importoTotalePagato', () => { const rt = positive(); rt.datiPagamento.datiSingoloPagamento![1]!.singoloImportoPagato = 5000; rt.datiPagamento.importoTotalePagato = 15000; return rt; }],
    ['rt.date-order', 'V-19', 'dataOraMessaggioRicevuta', () => ({ ...positive(), dataOraMessaggioRicevuta: '2026-12-04T09:00:00' }), 'warning'],
  ];
  it.each(cases)('%s (%s) names %s', (check, rule, field, mutate, severity = 'error') => {
    expectProblem(old.rtAgainstRpt(rpt(), mutate()), check, rule, field, severity);
  });
  it('a partial code with every transfer paid is inconsistent (TR-43)', () => {
    const rt = old.rtFor(rpt(), 'positive', { now: NOW });
    rt.datiPagamento.codiceEsitoPagamento = '2';
    expectProblem(old.rtAgainstRpt(rpt(), rt), 'rt.esito', 'V-19', 'datiPagamento/codiceEsitoPagamento');
  });
  it('a positive code without transfers is inconsistent (datiSingoloPagamento mandatory for 0)', () => {
    const rt = old.rtFor(rpt(), 'negative', { now: NOW, singoliNotPaid: 'none' });
    rt.datiPagamento.codiceEsitoPagamento = '0';
    const ps = old.rtAgainstRpt(rpt(), rt);
    expectProblem(ps, 'rt.pagamenti-count', 'V-19', 'datiPagamento/datiSingoloPagamento');
    expectProblem(ps, 'rt.esito', 'V-19', 'datiPagamento/codiceEsitoPagamento');
  });
});

describe('rptChecks', () => {
  it('passes the valid samples', () => {
    expect(old.rptChecks(rpt())).toEqual([]);
    expect(old.rptChecks(rptFull())).toEqual([]);
    expect(old.rptChecks(rptFull(), { afterActivation: { codiceContestoPagamento: rptFull().datiVersamento.codiceContestoPagamento } })).toEqual([]);
  });
  const cases: [string, string, string, () => [old.Rpt, old.RptContext?], ('error' | 'warning')?][] = [
    ['rpt.total', 'V-10', 'datiVersamento/importoTotaleDaVersare', () => { const r = rpt(); r.datiVersamento.importoTotaleDaVersare = 15000; return [r]; }],
    ['rpt.versamenti-count', 'V-10', 'datiVersamento/datiSingoloVersamento', () => { const r = rpt(); const s = r.datiVersamento.datiSingoloVersamento[0]!; r.datiVersamento.datiSingoloVersamento = Array.from({ length: 6 }, () => ({ ...s })); r.datiVersamento.importoTotaleDaVersare = 60000; return [r]; }],
    ['rpt.amount-zero', 'V-10', 'datiVersamento/datiSingoloVersamento[2]/importoSingoloVersamento', () => { const r = rpt(); r.datiVersamento.datiSingoloVersamento[1]!.importoSingoloVersamento = 0; r.datiVersamento.importoTotaleDaVersare = 10000; return [r]; }],
    ['rpt.bollo-iban', 'V-11', 'datiVersamento/datiSingoloVersamento[2]/ibanAccredito', () => { const r = rptFull(); r.datiVersamento.datiSingoloVersamento[1]!.ibanAccredito = makeIban('IT', 'X0306909606100000012345'); return [r]; }],
    ['rpt.bollo-hash', 'V-11', 'datiVersamento/datiSingoloVersamento[2]/datiMarcaBolloDigitale/hashDocumento', () => { const r = rptFull(); r.datiVersamento.datiSingoloVersamento[1]!.datiMarcaBolloDigitale!.hashDocumento = Buffer.from('short').toString('base64'); return [r]; }],
    ['rpt.bollo-importo', 'V-11', 'datiVersamento/datiSingoloVersamento[2]/importoSingoloVersamento', () => { const r = rptFull(); const s = r.datiVersamento.datiSingoloVersamento[1]!; r.datiVersamento.importoTotaleDaVersare += 200; s.importoSingoloVersamento += 200; return [r]; }],
    ['rpt.iban-missing', 'V-09', 'datiVersamento/datiSingoloVersamento[1]/ibanAccredito', () => { const r = rpt(); delete r.datiVersamento.datiSingoloVersamento[0]!.ibanAccredito; return [r]; }],
    ['rpt.iban-check', 'V-09', 'datiVersamento/datiSingoloVersamento[1]/ibanAccredito', () => { const r = rpt(); r.datiVersamento.datiSingoloVersamento[0]!.ibanAccredito = 'IT00X0306909606100000012345'; return [r]; }],
    ['rpt.iban-addebito', 'V-02', 'datiVersamento/ibanAddebito', () => { const r = rptFull(); r.datiVersamento.ibanAddebito = 'IT00X0306909606100000099999'; return [r]; }],
    ['rpt.activation-po', 'V-15', 'datiVersamento/tipoVersamento', () => { const r = rpt(); return [r, { afterActivation: { codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento } }]; }],
    ['rpt.activation-ccp', 'V-15', 'datiVersamento/codiceContestoPagamento', () => [rptFull(), { afterActivation: { codiceContestoPagamento: 'CCP-OF-THE-ACTIVATION' } }]],
    ['rpt.execution-date', 'V-02', 'datiVersamento/dataEsecuzionePagamento', () => { const r = rpt(); r.datiVersamento.dataEsecuzionePagamento = '2026-12-01'; return [r]; }, 'warning'],
    ['rpt.versante-is-pagatore', 'V-02', 'soggettoVersante', () => { const r = rpt(); r.soggettoVersante = { identificativoUnivocoVersante: { ...r.soggettoPagatore.identificativoUnivocoPagatore }, anagraficaVersante: 'Mario Rossi' }; return [r]; }, 'warning'],
  ];
  it.each(cases)('%s (%s) names %s', (check, rule, field, make, severity = 'error') => {
    const [r, ctx] = make();
    expectProblem(old.rptChecks(r, ctx), check, rule, field, severity);
  });
});

describe('rrFor and rrAgainstRt', () => {
  const rt = () => old.rtFor(rpt(), 'positive', { now: NOW });
  it('revoca (with tipoRevoca) and storno (without) validate and match their RT', () => {
    const revoca = old.rrFor(rt(), { now: NOW + 60_000, tipoRevoca: '1' });
    const storno = old.rrFor(rt(), { now: NOW + 60_000 });
    expect(revoca.datiRevoca.tipoRevoca).toBe('1');
    expect(storno.datiRevoca.tipoRevoca).toBeUndefined();
    expect(old.rrXml(storno)).not.toContain('tipoRevoca');
    for (const rr of [revoca, storno]) {
      expect(schemaErrors(old.rrXml(rr), 'RR')).toEqual([]);
      expect(old.rrAgainstRt(rt(), rr)).toEqual([]);
      expect(rr.datiRevoca.importoTotaleRevocato).toBe(15050);
      expect(rr.istitutoAttestante.identificativoUnivocoMittente).toEqual(rt().istitutoAttestante.identificativoUnivocoAttestante);
    }
  });
  const cases: [string, string, string, () => [old.Rt, old.Rr, ('revoca' | 'storno')?]][] = [
    ['rr.tipo-revoca', 'V-24', 'datiRevoca/tipoRevoca', () => [rt(), old.rrFor(rt(), { now: NOW }), 'revoca']],
    ['rr.tipo-revoca', 'V-28', 'datiRevoca/tipoRevoca', () => [rt(), old.rrFor(rt(), { now: NOW, tipoRevoca: '0' }), 'storno']],
    ['rr.rt-positive', 'V-28', 'datiRevoca/identificativoUnivocoVersamento', () => { const neg = old.rtFor(rpt(), 'negative', { now: NOW }); return [neg, old.rrFor(neg, { now: NOW })]; }],
    ['rr.dominio', 'V-28', 'dominio/identificativoDominio', () => { const rr = old.rrFor(rt(), { now: NOW }); rr.dominio = { identificativoDominio: '11111111111' }; return [rt(), rr]; }],
    ['rr.iuv', 'V-24', 'datiRevoca/identificativoUnivocoVersamento', () => { const rr = old.rrFor(rt(), { now: NOW, tipoRevoca: '2' }); rr.datiRevoca.identificativoUnivocoVersamento = 'X'; return [rt(), rr]; }],
    ['rr.ccp', 'V-28', 'datiRevoca/codiceContestoPagamento', () => { const rr = old.rrFor(rt(), { now: NOW }); rr.datiRevoca.codiceContestoPagamento = 'X'; return [rt(), rr]; }],
    ['rr.mittente', 'V-24', 'istitutoAttestante/identificativoUnivocoMittente/codiceIdentificativoUnivoco', () => { const rr = old.rrFor(rt(), { now: NOW, tipoRevoca: '1' }); rr.istitutoAttestante = { identificativoUnivocoMittente: { tipoIdentificativoUnivoco: 'B', codiceIdentificativoUnivoco: 'OTHERPSP001' }, denominazioneMittente: 'Altro PSP' }; return [rt(), rr]; }],
    ['rr.iur', 'V-28', 'datiRevoca/datiSingolaRevoca[2]/identificativoUnivocoRiscossione', () => { const rr = old.rrFor(rt(), { now: NOW }); rr.datiRevoca.datiSingolaRevoca[1]!.identificativoUnivocoRiscossione = 'UNKNOWN'; return [rt(), rr]; }],
    ['rr.importo-singolo', 'V-28', 'datiRevoca/datiSingolaRevoca[1]/singoloImportoRevocato', () => [rt(), old.rrFor(rt(), { now: NOW, importi: [20000, 5050] })]],
    ['rr.count', 'V-28', 'datiRevoca/datiSingolaRevoca', () => { const rr = old.rrFor(rt(), { now: NOW }); rr.datiRevoca.datiSingolaRevoca.push({ ...rr.datiRevoca.datiSingolaRevoca[0]!, singoloImportoRevocato: 0 }); return [rt(), rr]; }],
    ['rr.total', 'V-28', 'datiRevoca/importoTotaleRevocato', () => { const rr = old.rrFor(rt(), { now: NOW }); rr.datiRevoca.importoTotaleRevocato = 100; return [rt(), rr]; }],
  ];
  it.each(cases)('%s (%s) names %s', (check, rule, field, make) => {
    const [t, rr, kind] = make();
    expectProblem(kind ? old.rrAgainstRt(t, rr, kind) : old.rrAgainstRt(t, rr), check, rule, field);
  });
  it('annullo tecnico of a negative RT may revoke what the RT did not record (OLD-REV-AT-02)', () => {
    const neg = old.rtFor(rpt(), 'negative', { now: NOW });
    const rr = old.rrFor(neg, { now: NOW, tipoRevoca: '1', importi: [10000, 5050] });
    expect(errorsOf(old.rrAgainstRt(neg, rr))).toEqual([]);
  });
});

describe('erFor and erAgainstRr', () => {
  const rr = () => old.rrFor(old.rtFor(rpt(), 'positive', { now: NOW }), { now: NOW + 60_000, tipoRevoca: '1' });
  it.each([
    ['accepted', 'accepted' as const, [10000, 5050]],
    ['refused', 'refused' as const, [0, 0]],
    ['partly accepted', [true, false], [10000, 0]],
  ])('%s ER validates, matches its RR and revokes %j', (_n, outcome, amounts) => {
    const er = old.erFor(rr(), { now: NOW + 120_000, outcome });
    expect(er.datiRevoca.datiSingolaRevoca.map((s) => s.singoloImportoRevocato)).toEqual(amounts);
    expect(er.datiRevoca.importoTotaleRevocato).toBe(amounts.reduce((a, b) => a + b, 0));
    expect(er.riferimentoMessaggioRevoca).toBe(rr().identificativoMessaggioRevoca);
    expect(er.riferimentoDataRevoca).toBe('2026-12-04');
    expect(schemaErrors(old.erXml(er), 'ER')).toEqual([]);
    expect(old.erAgainstRr(rr(), er)).toEqual([]);
  });
  const er = () => old.erFor(rr(), { now: NOW + 120_000, outcome: 'accepted' });
  const cases: [string, string, () => old.Er][] = [
    ['er.riferimento-messaggio', 'riferimentoMessaggioRevoca', () => ({ ...er(), riferimentoMessaggioRevoca: 'RR-OTHER' })],
    ['er.riferimento-data', 'riferimentoDataRevoca', () => ({ ...er(), riferimentoDataRevoca: '2026-11-30' })],
    ['er.dominio', 'dominio/identificativoDominio', () => ({ ...er(), dominio: { identificativoDominio: '11111111111', identificativoStazioneRichiedente: '77777777777_01' } })],
    ['er.iuv', 'datiRevoca/identificativoUnivocoVersamento', () => { const e = er(); e.datiRevoca.identificativoUnivocoVersamento = 'X'; return e; }],
    ['er.ccp', 'datiRevoca/codiceContestoPagamento', () => { const e = er(); e.datiRevoca.codiceContestoPagamento = 'X'; return e; }],
    ['er.mittente', 'istitutoAttestante/denominazioneMittente', () => ({ ...er(), istitutoAttestante: { ...er().istitutoAttestante, denominazioneMittente: 'Altro' } })],
    ['er.pagatore', 'soggettoPagatore/anagraficaPagatore', () => ({ ...er(), soggettoPagatore: { ...er().soggettoPagatore, anagraficaPagatore: 'Altro' } })],
    ['er.count', 'datiRevoca/datiSingolaRevoca', () => { const e = er(); e.datiRevoca.datiSingolaRevoca.pop(); e.datiRevoca.importoTotaleRevocato = 10000; return e; }],
    ['er.iur', 'datiRevoca/datiSingolaRevoca[1]/identificativoUnivocoRiscossione', () => { const e = er(); e.datiRevoca.datiSingolaRevoca[0]!.identificativoUnivocoRiscossione = 'X'; return e; }],
    ['er.importo-singolo', 'datiRevoca/datiSingolaRevoca[2]/singoloImportoRevocato', () => { const e = er(); e.datiRevoca.datiSingolaRevoca[1]!.singoloImportoRevocato = 1000; e.datiRevoca.importoTotaleRevocato = 11000; return e; }],
    ['er.total', 'datiRevoca/importoTotaleRevocato', () => { const e = er(); e.datiRevoca.importoTotaleRevocato = 0; return e; }],
  ];
  it.each(cases)('%s (V-26) names %s', (check, field, make) => {
    expectProblem(old.erAgainstRr(rr(), make()), check, 'V-26', field);
  });
});

describe('ackFor', () => {
  it('acknowledges an RT (ACTC) or rejects it with a reason (RJCT), both valid', () => {
    const rt = old.rtFor(rpt(), 'positive', { now: NOW });
    const ok = old.ackFor(rt, { now: NOW, mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001' });
    expect(ok.datiMessaggioReferenziato).toMatchObject({ identificativoMessaggioReferenziato: rt.identificativoMessaggioRicevuta, tipologiaMessaggioReferenziato: 'RT', codiceContestoPagamento: rt.datiPagamento.CodiceContestoPagamento });
    expect(ok.informazioniStatoMessaggioReferenziato).toEqual({ statoMessaggioReferenziato: 'ACTC' });
    const ko = old.ackFor(rt, { now: NOW, mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001', rejection: { codiceErrore: 'SEMANTICA' } });
    expect(ko.informazioniStatoMessaggioReferenziato.statoMessaggioReferenziato).toBe('RJCT');
    for (const a of [ok, ko]) {
      expect(schemaErrors(old.ackXml(a), 'ACK')).toEqual([]);
      expect(old.readAck(old.ackXml(a))).toEqual(a);
    }
  });
});

describe('DOCUMENT_CHECKS', () => {
  it('every check is exercised by a case above and names catalogue V-* rules', () => {
    const all = Object.keys(old.DOCUMENT_CHECKS);
    expect(all.filter((c) => !exercised.has(c))).toEqual([]);
    for (const { rules } of Object.values(old.DOCUMENT_CHECKS)) for (const r of rules) expect(r).toMatch(/^V-\d{2}$/);
  });
});
