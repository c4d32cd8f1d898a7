// The profile's `models` (issue item 7): a run takes only the scenarios of the listed models; each
// scenario names its model in certificate.json, the HTML report and `collaudo catalogue --json`; a
// listed model this version has no scenarios for is said plainly (console note, certificate
// NOT_APPLICABLE with the reason), and a profile listing only such models is a usage error (exit 2).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collaudo, ROOT, type Run } from './support/cli.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'collaudo-models-'));
const REFERENCE_EC = readFileSync(path.join(ROOT, 'fixtures/profiles/reference-ec.yaml'), 'utf8');

/** The bundled reference EC's profile with another `models` line. */
function profileWith(models: string): string {
  expect(REFERENCE_EC).toMatch(/^models: \[old, new\]$/m);
  const file = path.join(tmp(), 'profile.yaml');
  writeFileSync(file, REFERENCE_EC.replace(/^models: \[old, new\]$/m, `models: ${models}`));
  return file;
}
const REFERENCE_PSP = readFileSync(path.join(ROOT, 'fixtures/profiles/reference-psp.yaml'), 'utf8');
/** The bundled reference PSP's profile with a `models` line (the PSP seat has no old-model scenarios yet). */
function pspProfileWith(models: string): string {
  const file = path.join(tmp(), 'psp.yaml');
  writeFileSync(file, REFERENCE_PSP.replace(/^models: .*$/m, '').replace(/^seat: psp$/m, `seat: psp\nmodels: ${models}`));
  return file;
}

interface CertJson {
  scenarios: { id: string; model?: string; verdict: string }[];
  models?: { model: string; scenarios: number; verdict?: string; reason?: string }[];
  verdict: string;
}

describe('a run of the new model only (demo --models new)', () => {
  let run: Run;
  let out: string;
  beforeAll(async () => {
    out = path.join(tmp(), 'out');
    run = await collaudo(['demo', '--models', 'new', '--scenario', 'EC-PAY-01', '--out', out, '--no-allure']);
  }, 120_000);

  it('names each scenario\'s model in certificate.json and in the HTML scenario row (English and Italian)', () => {
    expect(run.code, run.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    expect(cert.scenarios.map((s) => [s.id, s.model])).toEqual([['EC-PAY-01', 'new']]);
    expect(cert.models).toEqual([{ model: 'new', scenarios: 1 }]);
    const html = readFileSync(path.join(out, 'certificate.html'), 'utf8');
    const card = html.slice(html.indexOf('id="s-EC-PAY-01"'));
    const meta = card.slice(card.indexOf('class="smeta"'), card.indexOf('</button>'));
    expect(meta).toContain('new model (SANP 3)');
    expect(meta).toContain('nuovo modello (SANP 3)');
    expect(run.stderr).not.toMatch(/not yet supported/);
  });
});

describe('a profile listing both models', () => {
  it('certifies each: the scenarios of both run, the certificate names each model with its count', async () => {
    const out = path.join(tmp(), 'out');
    const r = await collaudo(['run', '--profile', profileWith('[new, old]'), '--scenario', 'EC-PAY-01,EC-OLD-PSP-01', '--out', out, '--no-allure']);
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    expect(cert.scenarios.map((s) => [s.id, s.model])).toEqual([['EC-PAY-01', 'new'], ['EC-OLD-PSP-01', 'old']]);
    expect(cert.models).toEqual([{ model: 'new', scenarios: 1 }, { model: 'old', scenarios: 1 }]);
    expect(r.stderr).not.toMatch(/not yet supported/);
  }, 120_000);
  it('old only: only the old model\'s scenarios are selected', async () => {
    const out = path.join(tmp(), 'out');
    const r = await collaudo(['run', '--profile', profileWith('[old]'), '--scenario', 'EC-OLD-PSP-03,EC-PAY-01', '--out', out, '--no-allure']);
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    expect(cert.scenarios.map((s) => s.id)).toEqual(['EC-OLD-PSP-03']);
  }, 120_000);
  it('an unknown model is refused by the profile schema', async () => {
    const r = await collaudo(['profile', profileWith('[newest]')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models/);
  }, 60_000);
});

describe('a profile listing a model collaudo has no scenarios for yet in its seat', () => {
  it('PSP seat, new and old: both models are certified, the certificate names each with its count', async () => {
    const out = path.join(tmp(), 'out');
    const r = await collaudo(['run', '--profile', pspProfileWith('[new, old]'), '--scenario', 'PSP-PAY-01,PSP-OLD-PAY-01', '--out', out, '--no-allure']);
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    expect(cert.models).toEqual([
      { model: 'new', scenarios: 1 },
      { model: 'old', scenarios: 1 },
    ]);
    expect(cert.scenarios.map((s) => [s.id, s.model, s.verdict])).toEqual([
      ['PSP-PAY-01', 'new', 'PASS'],
      ['PSP-OLD-PAY-01', 'old', 'PASS'],
    ]);
  }, 120_000);
  it('PSP seat, old only: only the old model\'s scenarios are selected', async () => {
    const out = path.join(tmp(), 'out');
    const r = await collaudo(['run', '--profile', pspProfileWith('[old]'), '--grep', 'PSP-OLD-PAY-0[13]|PSP-PAY-01', '--out', out, '--no-allure']);
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(['PSP-OLD-PAY-01', 'PSP-OLD-PAY-03']);
  }, 120_000);
  it('PSP seat, old without its channel: a profile error (exit 2) naming old.psp, before anything runs', async () => {
    const file = pspProfileWith('[old]');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {4}pspPerNodo: .*\n/m, ''));
    const r = await collaudo(['run', '--profile', file, '--out', path.join(tmp(), 'out'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/old\.psp/);
  }, 60_000);
});

describe('collaudo catalogue --json', () => {
  it.each(['ec', 'psp'])('lists every scenario of the %s seat with its model', async (seat) => {
    const r = await collaudo(['catalogue', '--seat', seat, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { scenarios: { id: string; model: string }[]; requirements: { coveredBy: string[] }[] };
    expect(doc.scenarios.length).toBeGreaterThan(10);
    // both seats certify both models
    expect(new Set(doc.scenarios.map((s) => s.model))).toEqual(new Set(['new', 'old']));
    // the scenarios listed are those that cover requirements
    const ids = new Set(doc.scenarios.map((s) => s.id));
    for (const r of doc.requirements) for (const id of r.coveredBy) expect(ids.has(id), id).toBe(true);
  }, 60_000);
});

describe('demo --models', () => {
  it('an unknown model is a usage error (exit 2) naming the value and the known ones', async () => {
    const r = await collaudo(['demo', '--models', 'new,legacy', '--scenario', 'EC-PAY-01', '--out', path.join(tmp(), 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--models new,legacy: unknown model "legacy" (known: new, old)');
  });
});
