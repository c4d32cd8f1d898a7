// The old-model EC suite's Italian where it is computed rather than written: a generated negative
// RT's change (src/negative/generate.ts says it in English) is told in Italian from its fixed forms
// (suites/ec/old/wire.ts changeIt), every form the generator uses for the RT schema, none left English.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { generateDocumentNegatives } from '../src/negative/generate.js';
import * as old from '../domain/old/index.js';
import { changeIt } from '../suites/ec/old/wire.js';
import { englishIn } from './support/english.js';

const RT_SCHEMA = path.join(PACKAGE_ROOT, 'interfaces', 'old', 'documents', old.OLD_DOCUMENT_SCHEMAS.RT);
const rpt = old.readRpt(readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'xsd-samples', 'old', 'RPT.valid-all-fields.xml'), 'utf8'));
const valid = old.rtXml(old.rtFor(rpt, 'positive', { now: Date.UTC(2026, 11, 4, 11, 0, 0) }));

describe('changeIt: a generated RT case told in Italian', () => {
  const cases = generateDocumentNegatives({ schema: RT_SCHEMA, ns: old.NS_OLD.pagamenti, root: 'RT' }, valid);

  it('covers every kind of rule the generator breaks in an RT', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['missing', 'empty', 'too-long', 'pattern', 'enumeration', 'type', 'range', 'unknown-element', 'order']));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: a known form, no English, the same elements and values', (_id, c) => {
    const it = changeIt(c);
    expect(it, c.change).not.toMatch(/: caso /);
    expect(englishIn(it), `${c.change} → ${it}`).toEqual([]);
    const data = (s: string) => (s.match(/<[^<>]+>|"[^"]*"|\d+/g) ?? []).sort();
    expect(data(it), `${c.change} → ${it}`).toEqual(data(c.change));
  });

  it('falls back to the kind and path for a form it does not know', () => {
    expect(changeIt({ kind: 'range', path: 'datiPagamento/importoTotalePagato', change: 'something new' })).toBe('datiPagamento/importoTotalePagato: caso range');
  });
});
