// The CLI as a user runs it: `collaudo demo`, `mutants`, `catalogue`, `run` against an external
// candidate over TLS with a client certificate and a subscription key, and the exit-2 paths.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { RealClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { ReferenceEc } from '../candidates/ec/index.js';
import { ROOT, collaudo, filesUnder, type Run } from './support/cli.js';

const TLS = path.join(ROOT, 'fixtures/tls');

interface CertJson {
  coverage: { id: string; level: string; verdict?: string; coveredBy: string[] }[];
  scenarios: { id: string; checks: { id: string; verdict: string; requirements: string[]; entries: number[] }[] }[];
}

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'collaudo-cli-'));

describe('collaudo demo', () => {
  let out: string;
  let run: Run;
  beforeAll(async () => {
    out = path.join(tmp(), 'demo');
    // today's exploded folder and the Allure output, on request (the lean default: test/lean-output.test.ts)
    run = await collaudo(['demo', '--out', out, '--json', '--evidence', 'exploded', '--allure']);
  }, 180_000);

  it('exits 0 and certifies the reference EC with only PASS and NOT_APPLICABLE', () => {
    expect(run.code, run.stderr).toBe(0);
    const cert = JSON.parse(run.stdout);
    expect(cert.summary.PASS).toBeGreaterThanOrEqual(20);
    expect(cert.summary.FAIL + cert.summary.WARNING + cert.summary.ERROR + cert.summary.INCONCLUSIVE).toBe(0);
    expect(cert.harness.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const s of cert.scenarios) {
      // a scenario this version cannot run (a part it does not build) judges nothing and says why
      if (s.verdict === 'NOT_APPLICABLE') {
        expect(s.reason.length, s.id).toBeGreaterThan(20);
        continue;
      }
      expect(s.requirements.length).toBeGreaterThan(0);
      expect(s.checks.length).toBeGreaterThan(0);
    }
  });

  it('writes the report files, and the manifest verifies with sha256sum -c', () => {
    for (const f of ['certificate.json', 'certificate.html', 'junit.xml', 'allure-report.html', 'manifest.sha256']) expect(existsSync(path.join(out, f)), f).toBe(true);
    expect(readdirSync(path.join(out, 'allure-results')).some((f) => f.endsWith('-result.json'))).toBe(true);
    expect(readdirSync(path.join(out, 'evidence/journal')).length).toBeGreaterThan(20);
    const check = execFileSync('sha256sum', ['-c', '--quiet', 'manifest.sha256'], { cwd: out, encoding: 'utf8' });
    expect(check).toBe('');
  });

  it('points every check evidence at a file that exists', () => {
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8'));
    const refs = cert.scenarios.flatMap((s: { checks: { evidence: string[] }[] }) => s.checks.flatMap((c) => c.evidence));
    expect(refs.length).toBeGreaterThan(50);
    for (const r of refs) expect(existsSync(path.join(out, r)), r).toBe(true);
  });

  it('every MUST requirement shown as PASS is judged by a check that ran, and that check carries evidence', () => {
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    const passMust = cert.coverage.filter((r) => r.level === 'MUST' && r.verdict === 'PASS');
    expect(passMust.length).toBeGreaterThan(30);
    for (const row of passMust) {
      const judging = cert.scenarios.flatMap((s) => s.checks.filter((c) => c.requirements.includes(row.id) && ['PASS', 'WARNING', 'FAIL'].includes(c.verdict)));
      expect(judging.length, row.id).toBeGreaterThan(0);
      expect(judging.some((c) => c.entries.length > 0), `${row.id}: no judging check carries journal entries`).toBe(true);
      for (const s of row.coveredBy) expect(cert.scenarios.find((x) => x.id === s)?.checks.some((c) => c.requirements.includes(row.id)), `${row.id} in ${s}`).toBe(true);
    }
  });

  it('every PASS check carries the journal entries it judged', () => {
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as CertJson;
    const bare = cert.scenarios.flatMap((s) => s.checks.filter((c) => c.verdict === 'PASS' && c.entries.length === 0).map((c) => `${s.id}/${c.id}`));
    expect(bare).toEqual([]);
  });

  it('redacts the harness PSP password everywhere', () => {
    for (const f of filesUnder(out)) expect(readFileSync(f, 'utf8').includes('collaudo_01'), f).toBe(false);
  });
});

describe('collaudo mutants', () => {
  it('catches every defect switch of the reference EC', async () => {
    const r = await collaudo(['mutants', '--seat', 'ec', '--json', '--out', path.join(tmp(), 'mutants')], {}, 480_000);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { mutants: { id: string; catches: string[]; killedBy: string[]; onTarget: boolean; failingChecks: Record<string, string[]> }[]; survivors: string[] };
    expect(doc.mutants.length).toBeGreaterThanOrEqual(8);
    expect(doc.survivors).toEqual([]);
    for (const m of doc.mutants) {
      expect(m.killedBy.length, m.id).toBeGreaterThan(0);
      expect(m.onTarget, `${m.id} caught only off target: ${JSON.stringify(m.failingChecks)}`).toBe(true);
      // onTarget agrees with the failing checks: one of them names an id the defect violates
      const named = Object.values(m.failingChecks).flat().some((line) => m.catches.some((id) => line.split(/[[\], ]+/).includes(id)));
      expect(named, m.id).toBe(m.onTarget);
    }
  }, 480_000);
});

describe('sharded run and merge', () => {
  it('two shards merge into one certificate with every scenario once and a valid manifest', async () => {
    const dir = tmp();
    const profile = path.join(ROOT, 'fixtures/profiles/reference-ec.yaml');
    const [a, b] = await Promise.all(
      ['1/2', '2/2'].map((s, i) => collaudo(['run', '--profile', profile, '--shard', s, '--no-allure', '--out', path.join(dir, `part${i + 1}`)])),
    );
    expect(a!.code, a!.stderr).toBe(0);
    expect(b!.code, b!.stderr).toBe(0);
    const m = await collaudo(['merge', path.join(dir, 'part1'), path.join(dir, 'part2'), '--out', path.join(dir, 'merged')]);
    expect(m.code, m.stderr).toBe(0);
    const part = (p: string) => JSON.parse(readFileSync(path.join(dir, p, 'certificate.json'), 'utf8')).scenarios.map((s: { id: string }) => s.id) as string[];
    const merged = part('merged');
    expect(part('part1').length).toBeGreaterThan(0);
    expect(part('part2').length).toBeGreaterThan(0);
    expect(merged.length).toBe(part('part1').length + part('part2').length);
    expect(new Set(merged).size).toBe(merged.length);
    expect(execFileSync('sha256sum', ['-c', '--quiet', 'manifest.sha256'], { cwd: path.join(dir, 'merged'), encoding: 'utf8' })).toBe('');
  }, 120_000);
});

describe('collaudo catalogue', () => {
  it('lists the EC requirements with their level and covering scenarios', async () => {
    const r = await collaudo(['catalogue', '--seat', 'ec', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { requirements: { id: string; level: string; coveredBy: string[] }[] };
    const byId = new Map(doc.requirements.map((q) => [q.id, q]));
    expect(byId.get('NM-RT-DUP-01')?.level).toBe('MUST');
    expect(byId.get('NM-RT-DUP-01')?.coveredBy).toContain('EC-RT-01');
    expect(byId.get('NM-PSPPAY-PAY-03')?.level).toBe('MAY-if-offered');
  });
});

describe('usage and configuration errors exit 2', () => {
  it('names the field and the rule of a bad profile', async () => {
    const dir = tmp();
    const f = path.join(dir, 'bad.yaml');
    writeFileSync(f, 'seat: ec\nname: x\nec:\n  idPA: "123"\n  idBrokerPA: b\n  idStation: s\n  auxDigit: 7\nendpoint:\n  url: ftp://x\n');
    const r = await collaudo(['run', '--profile', f, '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ec.idPA: must match ^[0-9]{11}$');
    expect(r.stderr).toContain('ec.auxDigit: must be one of 0, 1, 2, 3');
    expect(r.stderr).toContain('endpoint.url');
  });

  it('stops at preflight when the candidate is unreachable', async () => {
    const dir = tmp();
    const f = path.join(dir, 'down.yaml');
    writeFileSync(f, 'seat: ec\nname: down\nec:\n  idPA: "77777777777"\n  idBrokerPA: b\n  idStation: s\n  auxDigit: 3\n  segregationCode: "01"\nendpoint:\n  url: http://127.0.0.1:9/pagopa\n');
    const r = await collaudo(['run', '--profile', f, '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/candidate unreachable at http:\/\/127\.0\.0\.1:9\/pagopa/);
    expect(existsSync(path.join(dir, 'o', 'certificate.json'))).toBe(false);
  });

  it('rejects an unknown scenario id and an unknown option', async () => {
    const a = await collaudo(['demo', '--scenario', 'EC-NOPE-99', '--out', path.join(tmp(), 'o')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('EC-NOPE-99');
    const b = await collaudo(['demo', '--no-such-option']);
    expect(b.code).toBe(2);
  });
});

describe('collaudo run against an external candidate over TLS', () => {
  let ec: ReferenceEc;
  let received: Journal;
  let profile: string;
  let dir: string;
  const KEY = 'sk-collaudo-test-4f1c9a';
  beforeAll(async () => {
    dir = tmp();
    received = new Journal(new RealClock());
    ec = new ReferenceEc({
      clock: new RealClock(),
      idPA: '77777777777',
      idBrokerPA: '15376371009',
      idStation: '15376371009_01',
      companyName: 'Comune TLS',
      segregationCode: '01',
      ibans: ['IT60X0542811101000000123456'],
      tls: { cert: readFileSync(path.join(TLS, 'server.pem')), key: readFileSync(path.join(TLS, 'server.key')), ca: readFileSync(path.join(TLS, 'ca.pem')), requestCert: true },
      journal: () => received,
    });
    const { url } = await ec.start();
    const payable = ec.provision({ state: 'payable' });
    const paid = ec.provision({ state: 'paid' });
    profile = path.join(dir, 'tls.yaml');
    writeFileSync(
      profile,
      [
        'seat: ec',
        'name: TLS station with client certificate',
        'ec:',
        '  idPA: "77777777777"',
        '  idBrokerPA: "15376371009"',
        '  idStation: "15376371009_01"',
        '  auxDigit: 3',
        '  segregationCode: "01"',
        '  ibans: [IT60X0542811101000000123456]',
        'endpoint:',
        `  url: ${url}`,
        '  headers:',
        '    Ocp-Apim-Subscription-Key: ${COLLAUDO_TEST_SUBSCRIPTION_KEY}',
        '  tls:',
        `    ca: ${path.join(TLS, 'ca.pem')}`,
        `    cert: ${path.join(TLS, 'client.pem')}`,
        `    key: ${path.join(TLS, 'client.key')}`,
        'notices:',
        `  payable: ["${payable.noticeNumber}"]`,
        `  paid: ["${paid.noticeNumber}"]`,
      ].join('\n') + '\n',
    );
  });
  afterAll(async () => {
    await ec.stop();
  });

  it('certifies the subset, sends the subscription key and redacts it from every output file', async () => {
    const out = path.join(dir, 'out');
    const r = await collaudo(['run', '--seat', 'ec', '--profile', profile, '--out', out, '--scenario', 'EC-PAY-01,EC-ERR-01,EC-ERR-03', '--no-allure'], {
      COLLAUDO_TEST_SUBSCRIPTION_KEY: KEY,
    });
    expect(r.code, r.stderr).toBe(0);
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8'));
    expect(cert.scenarios.map((s: { id: string }) => s.id).sort()).toEqual(['EC-ERR-01', 'EC-ERR-03', 'EC-PAY-01']);
    expect(cert.summary.PASS).toBe(3);
    expect(cert.run.clock).toBe('real');
    // the station saw the key on every request (TLS with a client certificate worked, or nothing came)
    const reqs = received.entries.filter((e) => e.direction === 'request');
    expect(reqs.length).toBeGreaterThan(3);
    for (const e of reqs) expect(e.headers?.['ocp-apim-subscription-key']).toBe(KEY);
    for (const f of filesUnder(out)) expect(readFileSync(f, 'utf8').includes(KEY), f).toBe(false);
  });

  it('exits 2 when the CA does not trust the station (preflight)', async () => {
    const bad = path.join(dir, 'no-ca.yaml');
    writeFileSync(bad, readFileSync(profile, 'utf8').replace(/\n {4}ca: .*\n/, '\n'));
    const r = await collaudo(['run', '--profile', bad, '--out', path.join(dir, 'o2')], { COLLAUDO_TEST_SUBSCRIPTION_KEY: KEY });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/candidate unreachable/);
  });
});

describe('README', () => {
  it('states the notices one run needs, as the catalogue computes them', async () => {
    const r = await collaudo(['catalogue', '--seat', 'ec', '--json']);
    const needs = JSON.parse(r.stdout).notices as Record<string, number>;
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`**${needs.payable} payable**`);
    expect(readme).toContain(`**${needs.expired} expired**`);
    for (const s of ['paid', 'cancelled', 'in-progress']) expect(needs[s]).toBe(1);
  });
});
