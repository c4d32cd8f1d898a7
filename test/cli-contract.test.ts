// The CLI contract of README's exit-code table, case by case, as a user meets it: usage errors exit 2
// with one line on stderr and, with --json, exactly one JSON document (an error document) on stdout.
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { collaudo, type Run } from './support/cli.js';
import { buildCertificate } from '../cli/certify.js';
import { loadProfile } from '../src/profile/index.js';
import { ROOT } from './support/cli.js';
import type { ScenarioResult } from '../src/core/model.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'collaudo-contract-'));

/** exit 2, one line on stderr naming `what`, and with --json one error document on stdout */
function usageError(r: Run, what: RegExp, json = true): void {
  expect(r.code, r.stderr).toBe(2);
  // the run's header line may come first (preflight runs after it); the error itself is one line
  const lines = r.stderr.trim().split('\n').filter((l) => !/^collaudo \S+: certifying /.test(l));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (json) {
    const doc = JSON.parse(r.stdout) as { error: { code: number; message: string } };
    expect(doc.error.code).toBe(2);
    expect(doc.error.message).toMatch(what);
  }
}

describe('usage errors: exit 2, one line, an error document with --json', () => {
  it('a --grep that selects nothing names the filter, before any run', async () => {
    const out = path.join(tmp(), 'o');
    usageError(await collaudo(['demo', '--grep', 'zzz-no-such-scenario', '--json', '--out', out]), /--grep "zzz-no-such-scenario": no scenario of seat ec matches/);
    expect(existsSync(out)).toBe(false);
  });

  it('--scenario of another seat', async () => {
    usageError(await collaudo(['demo', '--seat', 'psp', '--scenario', 'EC-PAY-01', '--json', '--out', path.join(tmp(), 'o')]), /--scenario EC-PAY-01: no such scenario in seat psp/);
  });

  it('an invalid --grep regex', async () => {
    usageError(await collaudo(['demo', '--grep', '(', '--json']), /--grep "\(": not a valid regular expression/);
  });

  it('a folder given as --profile', async () => {
    usageError(await collaudo(['run', '--profile', path.join(ROOT, 'fixtures'), '--json']), /the profile .*fixtures is a folder/);
    usageError(await collaudo(['profile', path.join(ROOT, 'fixtures')], {}), /the profile .*fixtures is a folder/, false);
  });

  it('--out naming an existing file, or a folder that cannot be created, before the first scenario', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const a = await collaudo(['demo', '--out', file, '--json']);
    usageError(a, /--out .*a-file: exists and is not a folder/);
    expect(a.stderr).not.toMatch(/\[1\//);
    usageError(await collaudo(['demo', '--out', path.join(file, 'sub'), '--json']), /--out .*a-file\/sub: the folder cannot be created \(ENOTDIR\)/);
  });

  it('an unknown option gives an error document too', async () => {
    const r = await collaudo(['demo', '--no-such-option', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 2, message: expect.stringMatching(/--no-such-option/) } });
  });

  it('--seat that disagrees with the profile stays exit 2', async () => {
    usageError(await collaudo(['run', '--profile', path.join(ROOT, 'fixtures/profiles/reference-ec.yaml'), '--seat', 'psp', '--json']), /is for the ec seat, not psp/);
  });
});

describe('run --profile takes the seat from the profile', () => {
  it('a PSP profile without --seat certifies in the PSP seat', async () => {
    const r = await collaudo(['run', '--profile', path.join(ROOT, 'fixtures/profiles/reference-psp.yaml'), '--scenario', 'PSP-PAY-01', '--out', path.join(tmp(), 'o'), '--json', '--no-allure']);
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(r.stdout) as { candidate: { seat: string }; scenarios: { id: string }[] };
    expect(cert.candidate.seat).toBe('psp');
    expect(cert.scenarios.map((s) => s.id)).toEqual(['PSP-PAY-01']);
  });
});

describe('YAML errors name the line and show it uncut', () => {
  const dir = tmp();
  const run = async (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return collaudo(['profile', f]);
  };
  it('a bad indentation', async () => {
    const r = await run('indent.yaml', 'seat: ec\nname: x\nec:\n  idPA: "77777777777"\n   idBrokerPA: b\n  idStation: s\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 5, column 4: All mapping items must start at the same column');
    expect(r.stderr).toContain('5 |    idBrokerPA: b');
  });
  it('a duplicate key', async () => {
    const r = await run('dup.yaml', 'seat: ec\nname: x\nec:\n  idPA: "77777777777"\n  idPA: "77777777778"\n');
    expect(r.stderr).toContain('line 5, column 3: Map keys must be unique');
    expect(r.stderr).toContain('5 |   idPA: "77777777778"');
  });
  it('an unclosed quote is named where it opens, the long line uncut', async () => {
    const long = 'name: "a long value that runs past the eighty columns the yaml library cuts its snippet at, to its very end END';
    const r = await run('quote.yaml', `seat: ec\n${long}\nec: {\n`);
    expect(r.stderr).toContain('line 2, column 7: Missing closing "quote');
    expect(r.stderr).toContain(`2 | ${long}`);
  });
});

describe('preflight: a host that answers, but not SOAP', () => {
  let server: http.Server;
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  it('stops with exit 2 and "the endpoint answers HTTP 404 text/html: check endpoint.url"', async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as import('node:net').AddressInfo;
    const dir = tmp();
    const f = path.join(dir, 'html.yaml');
    writeFileSync(f, `seat: ec\nname: html\nec:\n  idPA: "77777777777"\n  idBrokerPA: "15376371009"\n  idStation: "15376371009_01"\n  auxDigit: 3\n  segregationCode: "01"\nendpoint:\n  url: http://127.0.0.1:${port}/wrong/path\n`);
    const r = await collaudo(['run', '--profile', f, '--out', path.join(dir, 'o'), '--json']);
    usageError(r, /the endpoint answers HTTP 404 text\/html: check endpoint\.url/);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });
});

describe('a harness fault during a run (an unhandled error in a vitest worker)', () => {
  it('is named on the terminal and in certificate.json, counted as ERROR, exit 4', async () => {
    const dir = tmp();
    // preloaded into every process of the run; only a vitest worker raises, while a scenario runs
    const inject = path.join(dir, 'fault.mjs');
    writeFileSync(inject, [
      "if (/vitest[\\\\/].*workers/.test(process.argv[1] ?? '')) {",
      '  const t = setInterval(() => {',
      '    if (globalThis.__vitest_worker__?.current) { clearInterval(t); Promise.reject(new Error("injected harness fault")); }',
      '  }, 5);',
      '  t.unref();',
      '}',
    ].join('\n'));
    const out = path.join(dir, 'o');
    const r = await collaudo(['demo', '--scenario', 'EC-X-04', '--no-allure', '--out', out, '--json'], { NODE_OPTIONS: `--import ${new URL(`file://${inject}`).href}` });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/harness fault.*injected harness fault/);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as { verdict: string; exitCode: number; summary: { ERROR: number }; harnessErrors?: string[] };
    expect([cert.verdict, cert.exitCode, cert.summary.ERROR]).toEqual(['ERROR', 4, 1]);
    expect(cert.harnessErrors).toEqual(['Error: injected harness fault']);
    const sha = createHash('sha256').update(readFileSync(path.join(out, 'certificate.json'))).digest('hex');
    expect(readFileSync(path.join(out, 'manifest.sha256'), 'utf8')).toContain(`${sha}  certificate.json`);
    expect((JSON.parse(r.stdout) as { exitCode: number }).exitCode).toBe(4);
  });
});

describe('harness faults: verdict, summary and exit code agree', () => {
  const loaded = loadProfile(path.join(ROOT, 'fixtures/profiles/reference-ec.yaml'));
  const o = { seat: 'ec' as const, loaded, out: path.join(tmp(), 'run'), mode: 'run' as const };
  const result = (id: string, verdict: ScenarioResult['verdict']): ScenarioResult => ({
    id, title: id, titleIt: id, seat: 'ec', requirements: [], verdict, checks: [], journalFile: '', journal: [], startedAt: new Date().toISOString(), durationMs: 1,
  });
  it('a fault beside PASSes: ERROR, exit 4, counted, named', () => {
    const c = buildCertificate(o, [result('EC-PAY-01', 'PASS')], new Date(), new Date(), ['Error: socket hang up in a worker']);
    expect([c.verdict, c.exitCode, c.summary.ERROR]).toEqual(['ERROR', 4, 1]);
    expect(c.harnessErrors).toEqual(['Error: socket hang up in a worker']);
  });
  it('a fault beside a FAIL: FAIL and exit 1 (a proven violation stands), the fault still counted and named', () => {
    const c = buildCertificate(o, [result('EC-PAY-01', 'FAIL')], new Date(), new Date(), ['Error: boom']);
    expect([c.verdict, c.exitCode, c.summary.ERROR]).toEqual(['FAIL', 1, 1]);
    expect(c.harnessErrors).toEqual(['Error: boom']);
  });
  it('no result at all is never exit 0', () => {
    const c = buildCertificate(o, [], new Date(), new Date());
    expect([c.verdict, c.exitCode, c.summary.ERROR]).toEqual(['ERROR', 4, 1]);
    expect(c.harnessErrors).toEqual(['no scenario ran']);
  });
});
