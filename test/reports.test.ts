// The report writer: every output file, redaction, JUnit/Allure mappings, the manifest, offline HTML.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigCertificate, sampleCertificate, SECRET_PASSWORD, SECRET_SUBSCRIPTION_KEY } from '../fixtures/reports/sample-certificate.js';
import { evidencePath, journalPath, mergeCertificates, writeReports, type WriteReportsResult } from '../reports/index.js';
import type { Certificate } from '../src/core/model.js';

const tmpDirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'collaudo-reports-test-'));
  tmpDirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, base)));
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out.sort();
}

/** The sample, with secrets and markup where a careless writer would leak or break. */
function trickyCertificate(): Certificate {
  const c = sampleCertificate();
  const rt = c.scenarios.find((s) => s.id === 'EC-RT-03')!;
  rt.journal[0]!.note = `retry scheduled; station password ${SECRET_PASSWORD} reused`;
  const mbd = c.scenarios.find((s) => s.id === 'EC-MBD-01')!;
  mbd.reason = 'feature <multiBeneficiary> not offered & "quoted" <script>alert(1)</script>';
  return c;
}

describe('writeReports on a realistic certificate (exploded evidence, Allure results, no Allure HTML)', () => {
  let out: string;
  let res: WriteReportsResult;
  let cert: Certificate;

  beforeAll(async () => {
    out = await tmp();
    cert = trickyCertificate();
    res = await writeReports(cert, out, { evidence: 'exploded', allure: true, allureReport: false });
  });

  it('writes every report file and lists them', async () => {
    for (const f of ['certificate.json', 'certificate.html', 'junit.xml', 'manifest.sha256', 'allure-results/environment.properties', 'allure-results/executor.json']) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    for (const s of cert.scenarios) expect(existsSync(path.join(out, journalPath(s.id))), s.id).toBe(true);
    expect(existsSync(path.join(out, 'evidence/journal/EC-PAY-01/007-response-paGetPayment.xml'))).toBe(true);
    expect(existsSync(path.join(out, 'allure-report.html'))).toBe(false);
    expect(res.files.at(-1)).toBe('manifest.sha256');
    expect([...res.files].sort()).toEqual(await walk(out));
    expect(res.warnings).toEqual([]);
  });

  it('evidencePath has the shared naming', () => {
    expect(evidencePath('EC-PAY-01', { seq: 3, direction: 'response', primitive: 'paGetPayment' })).toBe('evidence/journal/EC-PAY-01/003-response-paGetPayment.xml');
    expect(evidencePath('EC-X-1', { seq: 12, direction: 'request', primitive: undefined })).toBe('evidence/journal/EC-X-1/012-request-unknown.xml');
    expect(evidencePath('../evil', { seq: 1, direction: 'request', primitive: 'a/b' })).toBe('evidence/journal/__evil/001-request-a_b.xml');
    expect(journalPath('EC-PAY-01')).toBe('evidence/journal/EC-PAY-01.json');
  });

  it('certificate.json has the fixed shape and no inlined journal', async () => {
    const doc = JSON.parse(await readFile(path.join(out, 'certificate.json'), 'utf8'));
    expect(doc.harness.version).toBe('0.1.0');
    expect(doc.candidate.name).toBe(cert.candidate.name);
    expect(doc.summary).toEqual({ PASS: 1, WARNING: 1, FAIL: 1, INCONCLUSIVE: 1, NOT_APPLICABLE: 1, ERROR: 1 });
    expect(doc.scenarios).toHaveLength(6);
    for (const s of doc.scenarios) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'title', 'verdict', 'requirements', 'checks', 'journalFile']));
      expect(s).not.toHaveProperty('journal');
      expect(existsSync(path.join(out, s.journalFile))).toBe(true);
      for (const c of s.checks) {
        expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'verdict', 'level', 'clause', 'evidence']));
        for (const ev of c.evidence) expect(existsSync(path.join(out, ev)), ev).toBe(true);
      }
    }
    const fail = doc.scenarios.find((s: { id: string }) => s.id === 'EC-VER-04');
    expect(fail.checks[0].evidence).toEqual(['evidence/journal/EC-VER-04/002-request-paVerifyPaymentNotice.xml', 'evidence/journal/EC-VER-04/003-response-paVerifyPaymentNotice.xml']);
    expect(doc.candidate.identities.stationPassword).toBe('***');
  });

  it('writes one redacted xml per non-empty journal entry and the journal json', async () => {
    const files = await readdir(path.join(out, 'evidence/journal/EC-RT-03'));
    // entry #2 is the timeout: empty raw, no file
    expect(files.sort()).toEqual(['001-request-paSendRT.xml', '003-request-paSendRT.xml', '004-response-paSendRT.xml', '005-request-paSendRT.xml', '006-response-paSendRT.xml']);
    const req = await readFile(path.join(out, 'evidence/journal/EC-PAY-01/001-request-verifyPaymentNotice.xml'), 'utf8');
    expect(req).toContain('<password>***</password>');
    const j = JSON.parse(await readFile(path.join(out, 'evidence/journal/EC-PAY-01.json'), 'utf8'));
    expect(j).toHaveLength(10);
    expect(j[0].headers['ocp-apim-subscription-key']).toBe('***');
    expect(j[0].evidence).toBe('evidence/journal/EC-PAY-01/001-request-verifyPaymentNotice.xml');
  });

  it('leaks no secret in any file (password, subscription key, bearer token, secret in a note)', async () => {
    for (const f of await walk(out)) {
      const text = await readFile(path.join(out, f), 'utf8');
      expect(text.includes(SECRET_PASSWORD), `${f} contains the password`).toBe(false);
      expect(text.includes(SECRET_SUBSCRIPTION_KEY), `${f} contains the subscription key`).toBe(false);
    }
  });

  it('junit.xml: valid XML, counts, failure naming requirement, clause and entries', async () => {
    const xml = await readFile(path.join(out, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    // the published junit-10.xsd has no skipped count on <testsuites>: the testsuite carries it
    expect(xml).toMatch(/<testsuites [^>]*tests="6" failures="1" errors="1" time=/);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml).toMatch(/<testsuite [^>]*name="collaudo ec: [^"]*" tests="6" failures="1" errors="1" skipped="2"/);
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml).toContain('classname="ec.VER" name="EC-VER-04 Expired notice is refused with PAA_PAGAMENTO_SCADUTO"');
    const failure = /<failure message="([^"]*)" type="FAIL">([^<]*)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    expect(failure![1]).toContain('NM-VER-04');
    expect(failure![1]).toContain('SANP 3.2.1 §2.2.1');
    expect(failure![2]).toContain('journal entries: #2, #3');
    expect(failure![2]).toContain('evidence/journal/EC-VER-04/003-response-paVerifyPaymentNotice.xml');
    // nor <properties> in a testcase: a WARNING says its verdict where a CI shows the case's output
    expect(xml).toMatch(/name="EC-RT-03 [^"]*"[^>]*>\s*<system-out>verdict: WARNING\n/);
    expect(xml).toMatch(/<skipped message="NOT_APPLICABLE: feature &lt;multiBeneficiary&gt; not offered &amp; &quot;quoted&quot;/);
    expect(xml).toMatch(/<skipped message="INCONCLUSIVE: trigger deadline/);
    expect(xml).toMatch(/<error message="harness error: [^"]*TypeError/);
  });

  it('manifest.sha256 passes sha256sum -c and covers every file but itself', async () => {
    const r = execFileSync('sha256sum', ['-c', '--strict', 'manifest.sha256'], { cwd: out, encoding: 'utf8' });
    expect(r).not.toMatch(/FAILED/);
    const listed = (await readFile(path.join(out, 'manifest.sha256'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.slice(66));
    expect(listed).toEqual((await walk(out)).filter((f) => f !== 'manifest.sha256'));
  });

  it('allure-results: one result per scenario, status mapping, labels, steps, attachments', async () => {
    const dir = path.join(out, 'allure-results');
    const names = await readdir(dir);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const results: any[] = await Promise.all(names.filter((n) => n.endsWith('-result.json')).map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8'))));
    expect(results).toHaveLength(6);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const byId: Record<string, any> = Object.fromEntries(results.map((r) => [r.name.split(' ')[0], r]));
    expect(Object.fromEntries(Object.entries(byId).map(([k, r]) => [k, r.status]))).toEqual({
      'EC-PAY-01': 'passed',
      'EC-VER-04': 'failed',
      'EC-RT-03': 'passed',
      'EC-MBD-01': 'skipped',
      'EC-SPO-02': 'skipped',
      'EC-FDR-01': 'broken',
    });
    const f = byId['EC-VER-04'];
    const label = (n: string) => f.labels.filter((l: { name: string }) => l.name === n).map((l: { value: string }) => l.value);
    expect(label('epic')).toEqual(['ec']);
    expect(label('feature')).toEqual(['VER']);
    expect(label('severity')).toEqual(['critical']);
    expect(label('tag')).toEqual(expect.arrayContaining(['NM-VER-04', 'IF-paVerifyPaymentNotice-F12']));
    expect(label('suite')).toHaveLength(1);
    expect(f.fullName).toBe('collaudo.ec.VER.EC-VER-04');
    expect(f.historyId).toMatch(/^[0-9a-f]{32}$/);
    expect(f.statusDetails.message).toContain('NM-VER-04');
    expect(f.steps.map((s: { status: string }) => s.status)).toEqual(['failed', 'failed']);
    expect(byId['EC-RT-03'].statusDetails.message).toMatch(/^WARNING/);
    expect(byId['EC-RT-03'].steps.map((s: { status: string }) => s.status)).toEqual(['passed', 'passed', 'passed']);
    expect(byId['EC-MBD-01'].statusDetails.message).toMatch(/^NOT_APPLICABLE: feature/);
    for (const r of results) for (const a of r.attachments) expect(names, a.source).toContain(a.source);
    // journal json + one xml per non-empty entry
    expect(f.attachments).toHaveLength(1 + 4);
    expect(f.attachments.filter((a: { type: string }) => a.type === 'application/xml')).toHaveLength(4);
    expect(names).toContain('environment.properties');
    expect(names).toContain('executor.json');
    expect(await readFile(path.join(dir, 'environment.properties'), 'utf8')).toMatch(/^profile.sha256=b5d4045c/m);
  });

  it('certificate.html: offline, escaped, bilingual, both views, sequence diagrams', async () => {
    const html = await readFile(path.join(out, 'certificate.html'), 'utf8');
    expect(html).not.toMatch(/\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/);
    expect(html).toContain("default-src 'none'");
    for (const label of ['Conformance certificate', 'Certificato di conformità', 'Executive summary', 'Sintesi', 'Technical details', 'Dettaglio tecnico', 'Overall verdict', 'Esito complessivo', 'Requirement coverage', 'Copertura dei requisiti', 'NON SUPERATO', 'DICHIARATO', 'DECLARED']) {
      expect(html, label).toContain(label);
    }
    expect(html).toContain(cert.scenarios[0]!.titleIt);
    // raw XML never appears as markup; user text is escaped
    expect(html).not.toContain('<soapenv:');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<svg class="seq"/g)).toHaveLength(4); // scenarios with a journal
    expect(html).toContain('class="m resp bad"'); // XSD-invalid answer drawn as such
    expect(html).toContain('class="m resp tf"'); // the timeout
    expect(html).toContain('href="evidence/journal/EC-VER-04/003-response-paVerifyPaymentNotice.xml"');
    // declarations are their own list, never PASS
    expect(html).toMatch(/NM-ARC-01<\/code><\/td><td>Receipts are kept for at least 10 years<\/td><td><span class="v v-DECLARED"/);
    // the embedded data parses
    const data = /<script type="application\/json" id="collaudo-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const parsed = JSON.parse(data);
    const messages = JSON.parse(inflateSync(Buffer.from(parsed.z[0], 'base64')).toString('utf8'));
    expect(messages[1].r).toContain('<pafn:paVerifyPaymentNoticeReq>');
  });
});

describe('mergeCertificates', () => {
  it('concatenates shards and recomputes summary, verdict, exit code and times', () => {
    const whole = sampleCertificate();
    const a: Certificate = { ...whole, scenarios: whole.scenarios.slice(0, 3), run: { ...whole.run, endedAt: '2026-11-23T14:05:10.000Z' } };
    const b: Certificate = { ...whole, scenarios: whole.scenarios.slice(3), run: { ...whole.run, startedAt: '2026-11-23T14:04:59.000Z' } };
    const m = mergeCertificates([a, b]);
    expect(m.scenarios.map((s) => s.id)).toEqual(whole.scenarios.map((s) => s.id));
    expect(m.summary).toEqual(whole.summary);
    expect(m.verdict).toBe('FAIL');
    expect(m.exitCode).toBe(1);
    expect(m.run.startedAt).toBe('2026-11-23T14:04:59.000Z');
    expect(m.run.endedAt).toBe(whole.run.endedAt);
  });
  it('a coverage row judged in one shard keeps the judged verdict, not another shard\'s NOT_APPLICABLE or its reason', () => {
    const whole = sampleCertificate();
    const row = { id: 'OLD-X-AUTH-01', level: 'MUST' as const, condition: null };
    const a: Certificate = { ...whole, scenarios: whole.scenarios.slice(0, 3), coverage: [{ ...row, coveredBy: [], verdict: 'NOT_APPLICABLE', reason: 'S9: no browser' }] };
    const b: Certificate = { ...whole, scenarios: whole.scenarios.slice(3), coverage: [{ ...row, coveredBy: ['S1'], verdict: 'PASS' }] };
    const m = mergeCertificates([a, b]).coverage.find((r) => r.id === row.id)!;
    expect(m).toMatchObject({ coveredBy: ['S1'], verdict: 'PASS' });
    expect(m.reason).toBeUndefined();
    // nothing judged it anywhere: the reason stays
    const n = mergeCertificates([a, { ...b, coverage: [{ ...row, coveredBy: [], verdict: 'NOT_APPLICABLE', reason: 'S9: no browser' }] }]).coverage[0]!;
    expect(n).toMatchObject({ verdict: 'NOT_APPLICABLE', reason: 'S9: no browser' });
  });
  it('refuses shards of different candidates or overlapping scenarios', () => {
    const c = sampleCertificate();
    expect(() => mergeCertificates([c, { ...c, candidate: { ...c.candidate, name: 'other' }, scenarios: [] }])).toThrow(/different candidates/);
    expect(() => mergeCertificates([c, c])).toThrow(/more than one part/);
    expect(() => mergeCertificates([])).toThrow();
  });
});

describe('scale and Allure', () => {
  it('writes 100 scenarios × 20 messages quickly', async () => {
    const out = await tmp();
    const t = performance.now();
    const r = await writeReports(bigCertificate(100, 20), out, { evidence: 'exploded', allure: true, allureReport: false });
    const ms = performance.now() - t;
    expect(r.warnings).toEqual([]);
    expect(r.files.length).toBeGreaterThan(4000);
    expect(ms).toBeLessThan(15_000);
    const html = await stat(path.join(out, 'certificate.html'));
    expect(html.size).toBeLessThan(15 * 1024 * 1024);
    console.log(`100×20: ${Math.round(ms)} ms, ${r.files.length} files, certificate.html ${(html.size / 1024 / 1024).toFixed(1)} MB`, r.timings);
  }, 30_000);

  it('generates a single-file offline allure-report.html, and degrades to a warning when Allure fails', async () => {
    const out = await tmp();
    const r = await writeReports(trickyCertificate(), out, { allure: true, allureReport: true });
    expect(r.warnings).toEqual([]);
    expect(r.files).toContain('allure-report.html');
    const html = await readFile(path.join(out, 'allure-report.html'), 'utf8');
    expect(html.length).toBeGreaterThan(100_000);
    expect(html).not.toContain('googletagmanager');
    expect(html).not.toMatch(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html.includes(SECRET_PASSWORD)).toBe(false);
    execFileSync('sha256sum', ['-c', '--strict', 'manifest.sha256'], { cwd: out });
    console.log('with Allure report:', r.timings);

    // a generation that cannot finish (1 ms time limit) leaves no file and a warning
    const out2 = await tmp();
    const r2 = await writeReports(sampleCertificate(), out2, { allure: true, allureTimeoutMs: 1 });
    expect(r2.warnings.join('\n')).toMatch(/allure-report\.html not written/);
    expect(existsSync(path.join(out2, 'allure-report.html'))).toBe(false);
    execFileSync('sha256sum', ['-c', '--strict', 'manifest.sha256'], { cwd: out2 });
  }, 90_000);
});
