// Honest certificates (issue 8 items 14–16): an embedded candidate is never passed off as a
// certification, whatever the profile calls it; the verdict states the requirements it rests on;
// an ERROR reads in plain words on the executive page, the stack trace only in the technical view.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, collaudo } from './support/cli.js';
import { L } from '../reports/i18n.js';
import { certificateHtml, coverageStatement } from '../reports/html.js';
import type { Certificate } from '../src/core/model.js';

const renderCertificate = (cert: Certificate) => certificateHtml({ cert, entryFile: new Map(), journalFile: (s) => s.journalFile });
import { sampleCertificate } from '../fixtures/reports/sample-certificate.js';

describe('a renamed copy of the embedded reference profile', () => {
  it('is stated as NOT a certification in certificate.json, certificate.html (EN and IT) and junit.xml', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-honest-'));
    const profile = path.join(dir, 'roma.yaml');
    writeFileSync(profile, readFileSync(path.join(ROOT, 'fixtures/profiles/reference-ec.yaml'), 'utf8').replace(/^name: .*$/m, 'name: Comune di Roma — stazione di produzione'));
    const out = path.join(dir, 'out');
    const r = await collaudo(['run', '--profile', profile, '--seat', 'ec', '--scenario', 'EC-PAY-01', '--out', out, '--no-allure', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8'));
    expect(cert.candidate).toMatchObject({ name: 'Comune di Roma — stazione di produzione', embedded: true });
    expect(cert.run.mode).toBe('run');
    const html = readFileSync(path.join(out, 'certificate.html'), 'utf8');
    for (const text of L.bannerEmbedded) expect(html).toContain(text.slice(0, 30));
    expect(html).toMatch(/<title>[^<]*NOT A CERTIFICATION/);
    const junit = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="[^"]*NOT A CERTIFICATION/);
    expect(junit).toContain('<property name="embedded" value="true"/>');
  }, 120_000);
});

describe('the verdict box', () => {
  it('states on how many requirements the verdict rests and which MUST ones no check judged', () => {
    const cert = sampleCertificate();
    const s = coverageStatement(cert);
    const judged = cert.coverage.filter((r) => r.coveredBy.length).length;
    const open = cert.coverage.filter((r) => r.level === 'MUST' && !r.coveredBy.length).map((r) => r.id);
    expect(open.length).toBeGreaterThan(0);
    expect(s).toContain(`${cert.verdict} on ${judged} of ${cert.coverage.length} requirements`);
    expect(s).toContain(`${open.length} MUST requirement(s) not verified by this run: ${open[0]}`);
    expect(s).toContain(`su ${judged} di ${cert.coverage.length} requisiti`);
    expect(renderCertificate(cert)).toContain(s);
  });
});

describe('an ERROR on the executive page', () => {
  it('reads in one plain line; the stack trace is only in the technical view', () => {
    const cert = sampleCertificate();
    const err = cert.scenarios.find((s) => s.verdict === 'ERROR')!;
    err.reason = 'harness error: TypeError: Cannot read properties of undefined (reading \'flowId\')\n    at fdr (suites/ec/fdr.ts:88:3)\n    at run (src/runner.ts:40:7)';
    const html = renderCertificate(cert);
    const exec = html.slice(html.indexOf('id="view-exec"'), html.indexOf('id="view-tech"'));
    expect(exec).toContain('harness error: TypeError: Cannot read properties of undefined');
    expect(exec).not.toContain('at fdr (suites/ec/fdr.ts:88:3)');
    expect(exec).not.toMatch(/Run it again\./);
    expect(html.slice(html.indexOf('id="view-tech"'))).toContain('at fdr (suites/ec/fdr.ts:88:3)');
  });
});
