// The coverage gate for the requirement data we ship (src/catalogue/requirements.json):
// every id a scenario or a check of the EC suite names exists and applies to the EC seat, scenario
// ids are unique, every scenario verifies at least one judged requirement, and the committed data
// equals a fresh import from the shared requirement indexes when those are present.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Requirement, type RequirementData, catalogue, levelFor, requirement, seatRequirements } from '../src/catalogue/index.js';
import { ecScenarios } from '../suites/ec/index.js';
import { requirementsOf } from '../src/core/scenario.js';
import { buildRequirements, type RawIndex } from '../src/catalogue/build.js';
import { caseRequirements } from '../suites/ec/negative.js';
import type { PaPrimitive } from '../suites/ec/lib.js';

const NEGATIVE_PRIMITIVES: PaPrimitive[] = ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2', 'paSendRT', 'paSendRTV2', 'paDemandPaymentNotice'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUITE_DIR = path.join(ROOT, 'suites', 'ec');
const SPEC_DIR = process.env.COLLAUDO_SHARED_SPEC ?? path.resolve(ROOT, '../shared/spec');
const JUDGED = ['MUST', 'SHOULD', 'MAY', 'MAY-if-offered'];

/** Domain tables the EC suite generates scenarios from (their rows name the requirements). */
const SUITE_TABLES = [path.join(ROOT, 'domain', 'notice-state.ts')];

/** Every quoted NM-… or IF-… id in the EC suite's source (scenario lists and check requirements, the tables it draws rows from). */
function idsInSuiteSource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  // the suite's own folder and its reconciliation scenarios (suites/ec/fdr)
  const dirs = [SUITE_DIR, path.join(SUITE_DIR, 'fdr')];
  const files = [...dirs.flatMap((d) => readdirSync(d).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts')).map((f) => path.join(d, f))), ...SUITE_TABLES];
  for (const file of files) {
    const f = path.relative(ROOT, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/['"`]((?:NM|IF)-[A-Za-z0-9_-]+)['"`]/g)) {
      const id = m[1]!;
      found.set(id, [...(found.get(id) ?? []), f]);
    }
  }
  return found;
}

describe('requirement data', () => {
  it('has requirements, with unique ids', () => {
    const ids = catalogue().requirements.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.length - new Set(ids).size).toBe(0);
  });

  it('every level is one of the catalogue levels', () => {
    const allowed = new Set([...JUDGED, 'INFO', 'READING']);
    const bad = catalogue()
      .requirements.flatMap((r) => Object.entries(r.levels).map(([seat, l]) => [r.id, seat, l] as const))
      .filter(([, seat, l]) => !allowed.has(l) || !['ec', 'psp', 'nodo'].includes(seat));
    expect(bad).toEqual([]);
  });

  it('the EC seat has judged requirements (the suite has something to cover)', () => {
    expect(seatRequirements('ec').length).toBeGreaterThan(50);
    expect(seatRequirements('ec').every((r) => JUDGED.includes(r.levels.ec ?? ''))).toBe(true);
  });
});

describe('EC suite coverage gate', () => {
  it('the suite has scenarios', () => {
    expect(ecScenarios.length).toBeGreaterThan(20);
  });

  it('every scenario id is unique', () => {
    const ids = ecScenarios.map((d) => d.id);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dup).toEqual([]);
  });

  it('every scenario is of the EC seat', () => {
    expect(ecScenarios.filter((d) => d.seat !== 'ec').map((d) => d.id)).toEqual([]);
  });

  it('every requirement id a scenario names exists in requirements.json', () => {
    const missing = ecScenarios.flatMap((d) => requirementsOf(d).filter((r) => !requirement(r)).map((r) => `${d.id}: ${r}`));
    expect(missing).toEqual([]);
  });

  it('every requirement id a scenario names applies to the EC seat', () => {
    const off = ecScenarios.flatMap((d) => requirementsOf(d).filter((r) => requirement(r) && !levelFor(r, 'ec')).map((r) => `${d.id}: ${r}`));
    expect(off).toEqual([]);
  });

  it('every scenario names at least one NM-*/IF-* id whose EC level is MUST, SHOULD, MAY or MAY-if-offered', () => {
    const bad = ecScenarios
      .filter((d) => !requirementsOf(d).some((r) => /^(NM|IF)-/.test(r) && JUDGED.includes(levelFor(r, 'ec') ?? '')))
      .map((d) => `${d.id}: [${requirementsOf(d).map((r) => `${r}=${levelFor(r, 'ec') ?? '—'}`).join(', ')}]`);
    expect(bad).toEqual([]);
  });

  it('a scenario bound to a feature verifies at least one MAY-if-offered requirement or names the feature condition', () => {
    const bad = ecScenarios
      .filter((d) => d.feature)
      .filter((d) => !requirementsOf(d).some((r) => levelFor(r, 'ec') === 'MAY-if-offered' || requirement(r)?.condition === d.feature))
      .map((d) => d.id);
    expect(bad).toEqual([]);
  });

  it('every NM-*/IF-* id in the suite source (check requirements included) exists and is judged for the EC seat', () => {
    const ids = idsInSuiteSource();
    expect(ids.size).toBeGreaterThan(20);
    const problems = [...ids].flatMap(([id, files]) => {
      const r = requirement(id);
      if (!r) return [`${id} (${files.join(', ')}): not in requirements.json`];
      if (!JUDGED.includes(r.levels.ec ?? '')) return [`${id} (${files.join(', ')}): EC level ${r.levels.ec ?? 'none'}`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('the source scan sees every id the checks name (the scan is not blind), except the field rules of the generated negatives', () => {
    const ids = idsInSuiteSource();
    // the generated negatives bind one check per request field rule, computed from the catalogue (fieldRequirement)
    const generated = new Set(NEGATIVE_PRIMITIVES.flatMap((p) => caseRequirements(p)).filter((r) => !ids.has(r)));
    for (const r of generated) expect(r, 'a generated id is a request field rule IF-<op>-F01…F39').toMatch(/^IF-pa\w+-F[0-3]\d$/);
    const unseen = [...new Set(ecScenarios.flatMap((d) => requirementsOf(d)))].filter((r) => !ids.has(r) && !generated.has(r));
    expect(unseen).toEqual([]);
  });
});

// ---------------------------------------------------------------- fresh import


/** The importer's mapping (src/catalogue/build.ts) over the shared indexes, without writing any file. */
function freshImport(specDir: string): Requirement[] {
  const read = (f: string) => JSON.parse(readFileSync(path.join(specDir, f), 'utf8')) as RawIndex;
  // as stored: JSON drops undefined fields
  return JSON.parse(JSON.stringify(buildRequirements(read('index-new-model-flows.json'), read('index-new-model-interfaces.json'), read('index-old-model.json')))) as Requirement[];
}

describe('requirements.json equals a fresh import of the shared indexes', () => {
  const present = ['index-new-model-flows.json', 'index-new-model-interfaces.json', 'index-old-model.json'].every((f) => existsSync(path.join(SPEC_DIR, f)));
  const reason = `shared requirement indexes not found in ${SPEC_DIR} (index-new-model-*.json, index-old-model.json): the cross-check with a fresh import is skipped`;
  const committed = (): RequirementData => JSON.parse(readFileSync(path.join(ROOT, 'src', 'catalogue', 'requirements.json'), 'utf8')) as RequirementData;

  it('same ids, in the same order', (ctx) => {
    if (!present) {
      console.warn(reason);
      return ctx.skip(reason);
    }
    expect(committed().requirements.map((r) => r.id)).toEqual(freshImport(SPEC_DIR).map((r) => r.id));
  });

  it('same levels per seat', (ctx) => {
    if (!present) {
      console.warn(reason);
      return ctx.skip(reason);
    }
    const levels = (rs: Requirement[]) => Object.fromEntries(rs.map((r) => [r.id, r.levels]));
    expect(levels(committed().requirements)).toEqual(levels(freshImport(SPEC_DIR)));
  });

  it('same entries field by field (title, area, operation, condition, needs, note)', (ctx) => {
    if (!present) {
      console.warn(reason);
      return ctx.skip(reason);
    }
    expect(committed().requirements).toEqual(freshImport(SPEC_DIR));
  });

  it('the snapshot names the pagopa-api commit of the shared reference', (ctx) => {
    const snapshotFile = path.resolve(SPEC_DIR, '../reference/pagopa-api/SNAPSHOT');
    if (!existsSync(snapshotFile)) {
      const r = `${snapshotFile} not found: the snapshot cross-check is skipped`;
      console.warn(r);
      return ctx.skip(r);
    }
    const hash = readFileSync(snapshotFile, 'utf8').trim().split(/\s+/)[0]!;
    expect(hash).toMatch(/^[0-9a-f]{12,40}$/);
    expect(committed().snapshot).toContain(hash.slice(0, 12));
  });
});
