// Negative documents generated from our old-model schemas (src/negative/generate.ts,
// generateDocumentNegatives): from one valid RPT / RT, every field rule of the document's schema
// gives a variant that the same schema refuses; variants that happen to be valid are dropped.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDocumentNegatives } from '../src/negative/generate.js';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { parseDocument } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';
import * as old from '../domain/old/index.js';

const PAGINF = path.join(PACKAGE_ROOT, 'interfaces/old/documents', old.OLD_DOCUMENT_SCHEMAS.RT);

const RPT: old.Rpt = {
  versioneOggetto: '6.2.0',
  dominio: { identificativoDominio: '77777777777', identificativoStazioneRichiedente: '15376371009_01' },
  identificativoMessaggioRichiesta: 'MSG-RPT-0001',
  dataOraMessaggioRichiesta: '2026-12-04T10:00:00',
  autenticazioneSoggetto: 'N/A',
  soggettoPagatore: { identificativoUnivocoPagatore: { tipoIdentificativoUnivoco: 'F', codiceIdentificativoUnivoco: 'RSSMRA80A01H501U' }, anagraficaPagatore: 'Mario Rossi' },
  enteBeneficiario: { identificativoUnivocoBeneficiario: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: '77777777777' }, denominazioneBeneficiario: 'Comune di Collaudo' },
  datiVersamento: {
    dataEsecuzionePagamento: '2026-12-04',
    importoTotaleDaVersare: 1234,
    tipoVersamento: 'PO',
    identificativoUnivocoVersamento: '01000000000000123',
    codiceContestoPagamento: 'CCP0001',
    firmaRicevuta: '0',
    datiSingoloVersamento: [{ importoSingoloVersamento: 1234, ibanAccredito: 'IT60X0542811101000000123456', causaleVersamento: 'Tassa', datiSpecificiRiscossione: '9/0101100IM/' }],
  },
} as old.Rpt;

function valid(xml: string): boolean {
  const d = parseDocument(xml);
  try {
    return validateElement(d.root, PAGINF).valid;
  } finally {
    d.dispose();
  }
}

describe('generated negative documents', () => {
  const rt = old.rtXml(old.rtFor(RPT, 'positive', { now: Date.parse('2026-12-04T10:05:00Z') }));
  const cases = generateDocumentNegatives({ schema: PAGINF, ns: old.NS_OLD.pagamenti, root: 'RT' }, rt);

  it('starts from a valid RT, and every case is refused by the same schema with the validator\'s message', () => {
    expect(valid(rt)).toBe(true);
    expect(cases.length).toBeGreaterThan(60);
    for (const c of cases) {
      expect(valid(c.envelope), c.id).toBe(false);
      expect(c.xsdError.length, c.id).toBeGreaterThan(0);
    }
  });
  it('covers every kind of field rule, with unique ids naming the path', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['missing', 'empty', 'too-long', 'pattern', 'enumeration', 'type', 'unknown-element', 'order', 'range']));
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.map((c) => c.id)).toContain('datiPagamento/codiceEsitoPagamento:enumeration');
    expect(cases.map((c) => c.id)).toContain('datiPagamento/identificativoUnivocoVersamento:missing');
  });
  it('refuses a base document that is not valid, or not the declared root', () => {
    expect(() => generateDocumentNegatives({ schema: PAGINF, ns: old.NS_OLD.pagamenti, root: 'RT' }, rt.replace(/(importoTotalePagato>)[^<]*/, '$1abc'))).toThrow(/not valid/);
    expect(() => generateDocumentNegatives({ schema: PAGINF, ns: old.NS_OLD.pagamenti, root: 'RPT' }, rt)).toThrow(/not a \{/);
  });
  it('samples evenly when asked for fewer cases, keeping the top-level ones', () => {
    const few = generateDocumentNegatives({ schema: PAGINF, ns: old.NS_OLD.pagamenti, root: 'RT' }, rt, { max: 20 });
    expect(few.length).toBe(20);
  });
});
