// The CI templates a vendor copies (examples/ci/, issue 13 item 2): each is a valid file of its CI
// system (the published SchemaStore JSON Schema, through ajv), every collaudo command it runs exists in
// our CLI with the options it passes, the profile it certifies is valid, and the GitLab job's own
// command lines certify a candidate for real: each shard, then `collaudo merge`. The
// junit.xml it publishes is valid against a published JUnit XML schema (the Jenkins xUnit plugin's
// junit-10.xsd). Each check is shown to fail on a broken copy.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XmlDocument } from 'libxml2-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { junitXml } from '../reports/index.js';
import { validateElement } from '../src/wire/xsd.js';
import { sampleCertificate } from '../fixtures/reports/sample-certificate.js';
import { ROOT, collaudo } from './support/cli.js';
import { freePort } from './support/net.js';
import { stopServe, waitForLine } from './support/serve.js';
import {
  GITHUB, GITLAB, PROFILE, cliSurface, githubLines, gitlabLines, invocations, pinnedVersions, problemsOf, readYaml, words,
  type CliSurface, type Doc, type ShellLine,
} from './support/ci-templates.js';

const SCHEMAS = path.join(ROOT, 'test/fixtures/schemas');
const JUNIT_XSD = path.join(SCHEMAS, 'junit-10.xsd');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
/** the real run's deadline: the whole EC suite, split in two, on the real clock (~30 s measured) */
const REAL_RUN_MS = 240_000;

function validator(file: string): ValidateFunction {
  // SchemaStore's schemas use keywords strict mode rejects (e.g. `items` beside `$ref`): validate, do not lint
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  return ajv.compile(JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as object);
}

const errorsOf = (v: ValidateFunction, doc: unknown): string[] => (v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`));
const clone = (d: Doc): Doc => structuredClone(d);

function junitErrors(xml: string): string[] {
  const doc = XmlDocument.fromString(xml);
  try {
    return validateElement(doc.root, JUNIT_XSD).errors;
  } finally {
    doc.dispose();
  }
}

const tmpDirs: string[] = [];
const tmp = (name: string) => {
  const d = mkdtempSync(path.join(tmpdir(), `collaudo-ci-${name}-`));
  tmpDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('the GitHub Actions workflow (examples/ci/github-actions.yml)', () => {
  const doc = readYaml(GITHUB);
  const valid = validator('github-workflow.json');

  it('is valid against SchemaStore\'s github-workflow.json', () => {
    expect(errorsOf(valid, doc)).toEqual([]);
  });

  it('a copy with a misspelt key or a bad value is not', () => {
    const job = (d: Doc) => (d.jobs as Record<string, Doc>).shard!;
    const misspelt = clone(doc);
    job(misspelt)['runs_on'] = job(misspelt)['runs-on'];
    delete job(misspelt)['runs-on'];
    expect(errorsOf(valid, misspelt).join('\n')).toMatch(/runs-on|runs_on/);
    const badValue = clone(doc);
    job(badValue)['timeout-minutes'] = 'thirty';
    expect(errorsOf(valid, badValue).join('\n')).toMatch(/timeout-minutes.*must be number/);
  });
});

describe('the GitLab CI pipeline (examples/ci/gitlab-ci.yml)', () => {
  const doc = readYaml(GITLAB);
  const valid = validator('gitlab-ci.json');

  it('is valid against SchemaStore\'s gitlab-ci.json, and publishes the merged junit.xml as its test report', () => {
    expect(errorsOf(valid, doc)).toEqual([]);
    const cert = doc['collaudo-certificate'] as { artifacts: { reports: { junit: string }; paths: string[] }; script: string[] };
    const merge = invocations(gitlabLines({ job: cert })).find((i) => i.args[0] === 'merge')!;
    const out = merge.args[merge.args.indexOf('--out') + 1]!;
    expect(cert.artifacts.reports.junit).toBe(`${out}/junit.xml`);
    expect(cert.artifacts.paths).toContain(`${out}/`);
  });

  it('a copy with a misspelt key or a bad value is not', () => {
    const misspelt = clone(doc);
    const job = misspelt['collaudo-shard'] as Doc;
    job['artifact'] = job['artifacts'];
    delete job['artifacts'];
    expect(errorsOf(valid, misspelt).join('\n')).toMatch(/artifact/);
    const badValue = clone(doc);
    (badValue['collaudo-certificate'] as Doc)['when'] = 'allways';
    expect(errorsOf(valid, badValue).join('\n')).toMatch(/collaudo-certificate\/when/);
  });
});

describe('the collaudo commands the templates run', () => {
  let cli: CliSurface;
  const github = githubLines(readYaml(GITHUB));
  const gitlab = gitlabLines(readYaml(GITLAB));

  beforeAll(async () => {
    cli = await cliSurface();
  }, 60_000);

  it('exist in our CLI, with every option they pass (read from collaudo <command> --help)', () => {
    expect([...cli.commands.keys()]).toEqual(expect.arrayContaining(['run', 'merge', 'serve', 'profile']));
    for (const [name, shell] of [['github', github], ['gitlab', gitlab]] as const) {
      const found = invocations(shell);
      // the stand-in candidate, a shard's run, the merge
      expect(found.map((i) => i.args[0]), name).toEqual(['serve', 'run', 'merge']);
      expect(found.flatMap((i) => problemsOf(i, cli)), name).toEqual([]);
      const run = found.find((i) => i.args[0] === 'run')!;
      expect(run.args, name).toEqual(expect.arrayContaining(['--profile', 'collaudo-ec.yaml', '--shard', '--out']));
    }
  });

  it('install the collaudo release of this package', () => {
    for (const [name, file, shell] of [['github', GITHUB, github], ['gitlab', GITLAB, gitlab]] as const) {
      const doc = readYaml(file);
      const vars = ((doc.env ?? doc.variables) as Record<string, unknown>) ?? {};
      expect(String(vars.COLLAUDO_VERSION), name).toBe(VERSION);
      const pins = pinnedVersions(shell);
      expect(pins.length, name).toBeGreaterThan(0);
      for (const p of pins) expect(p.version, `${name} ${p.at}`).toBe('${COLLAUDO_VERSION}');
    }
  });

  it('the check finds a misspelt option, a missing value and an unknown command', () => {
    const broken: ShellLine[] = [
      { at: 'a', line: 'npx collaudo run --profile collaudo-ec.yaml --shards 1/2 --out out' },
      { at: 'b', line: 'npx collaudo run --profile --out out' },
      { at: 'c', line: 'npx collaudo merj --out all part-1 part-2' },
      { at: 'd', line: 'nohup npx collaudo serve --ec-prot 17071 > candidate.log 2>&1 &' },
    ];
    const problems = invocations(broken).flatMap((i) => problemsOf(i, cli));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/no option --shards/);
    expect(problems[1]).toMatch(/--profile needs a value/);
    expect(problems[2]).toMatch(/no command "merj"/);
    expect(problems[3]).toMatch(/serve has no option --ec-prot/);
    // in the templates themselves: a misspelt option and command, in a run step and a script line
    const gh = githubLines(parse(readFileSync(GITHUB, 'utf8').replace('merge --out', 'merge --output')) as Doc);
    expect(invocations(gh).flatMap((i) => problemsOf(i, cli))).toEqual([expect.stringMatching(/^jobs\.certificate\.steps\[\d+\]\.run: .*merge has no option --output/)]);
    const gl = gitlabLines(parse(readFileSync(GITLAB, 'utf8').replace('npx collaudo run ', 'npx collaudo runn ')) as Doc);
    expect(invocations(gl).flatMap((i) => problemsOf(i, cli))).toEqual([expect.stringMatching(/^collaudo-shard\.script\[\d+\]: .*no command "runn"/)]);
    // words stop at the shell's redirections and comments
    expect(words('npx collaudo run --out "a b" # --nope > x')).toEqual(['npx', 'collaudo', 'run', '--out', 'a b']);
  });
});

describe('the example profile (examples/ci/collaudo-ec.yaml)', () => {
  it('names its schema for the editor and is valid for `collaudo profile`; without the secret it is not', async () => {
    const text = readFileSync(PROFILE, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../src/profile/profile.schema.json');
    const ok = await collaudo(['profile', PROFILE], { COLLAUDO_SUBSCRIPTION_KEY: 'ci-secret' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/is valid/);
    // the job must hand the secret over: a run without it stops before the first scenario
    expect(process.env.COLLAUDO_SUBSCRIPTION_KEY).toBeUndefined();
    const missing = await collaudo(['profile', PROFILE]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/environment variable COLLAUDO_SUBSCRIPTION_KEY is not set/);
    // and they do: the GitHub shard job passes each variable the profile reads; GitLab names it
    const vars = [...text.matchAll(/\$\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]!);
    expect(vars).toEqual(['COLLAUDO_SUBSCRIPTION_KEY']);
    const shardEnv = ((readYaml(GITHUB).jobs as Record<string, Doc>).shard!.env ?? {}) as Record<string, string>;
    for (const v of vars) {
      expect(shardEnv[v], v).toBe(`\${{ secrets.${v} }}`);
      expect(readFileSync(GITLAB, 'utf8'), v).toContain(v);
    }
  }, 30_000);
});

describe('junit.xml against the Jenkins xUnit plugin\'s junit-10.xsd', () => {
  it('a demo run\'s junit.xml is valid', async () => {
    const out = tmp('demo');
    const r = await collaudo(['demo', '--scenario', 'EC-PAY-01,EC-OLD-CARD-01', '--out', out]);
    expect(r.code, r.stderr.slice(-1500)).toBe(0);
    const xml = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<skipped message="NOT_APPLICABLE/);
    expect(junitErrors(xml)).toEqual([]);
  }, 60_000);

  it('a certificate with every verdict (FAIL, ERROR, INCONCLUSIVE, NOT_APPLICABLE, WARNING) gives a valid one', () => {
    const xml = junitXml(sampleCertificate());
    for (const e of ['<failure ', '<error ', '<skipped ', 'verdict: WARNING']) expect(xml).toContain(e);
    expect(junitErrors(xml)).toEqual([]);
  });

  it('the schema bites: per-testcase <properties> (our old form) and a skipped count on <testsuites> are invalid', () => {
    const xml = junitXml(sampleCertificate());
    const withProps = xml.replace(/(<testcase [^>]*>)/, '$1<properties><property name="verdict" value="PASS"/></properties>');
    expect(junitErrors(withProps).join('\n')).toMatch(/properties/);
    expect(junitErrors(xml.replace('<testsuites ', '<testsuites skipped="2" ')).join('\n')).toMatch(/skipped/);
  });
});

describe('the GitLab job, run for real', () => {
  let serve: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => stopServe(serve));

  it('its own command lines: the candidate, the wait, each shard, the merge; each exits 0 and the certificate is whole', async () => {
    const doc = readYaml(GITLAB);
    const shard = gitlabLines({ job: doc['collaudo-shard'] as Doc }).filter((l) => l.line.trim() && !l.line.trim().startsWith('#'));
    const mergeLines = gitlabLines({ job: doc['collaudo-certificate'] as Doc });
    const [start, wait, run] = shard.map((l) => l.line);
    const parallel = (doc['collaudo-shard'] as { parallel: number }).parallel;
    // the jobs' fixed ports, moved to free ones on this machine
    const ecPort = await freePort();
    const ports = (s: string, platform = 0) => s.replaceAll('17071', String(ecPort)).replaceAll('17090', String(platform));
    const bin = `"${process.execPath}" "${path.join(ROOT, 'bin/collaudo.mjs')}"`;
    const local = (line: string) => ports(line).replace(/\bnpx collaudo\b/g, bin);

    // the candidate: the template's serve command, as a child we can stop
    const startWords = words(ports(start!));
    serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), ...startWords.slice(startWords.indexOf('collaudo') + 1)], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    await waitForLine(serve, /reference EC \(paForNode\):\s+(\S+)/, 30_000);
    const sh = (line: string, cwd: string, env: Record<string, string> = {}) => new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const p = spawn('bash', ['-c', line], { cwd, env: { ...process.env, NO_COLOR: '1', COLLAUDO_SUBSCRIPTION_KEY: 'ci-secret', ...env } });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => {
        p.kill('SIGKILL');
        reject(new Error(`${line}: no exit within ${REAL_RUN_MS} ms\n${out.slice(-2000)}`));
      }, REAL_RUN_MS);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });

    // each shard in a job folder of its own, one after the other: on CI each job has its own runner,
    // here they would share the profile's fixed harness platform port (and merge wants one profile)
    const profile = ports(readFileSync(PROFILE, 'utf8'), await freePort());
    const t0 = Date.now();
    const jobs: { dir: string; code: number | null; out: string; ms: number }[] = [];
    for (let i = 0; i < parallel; i++) {
      const dir = tmp(`shard${i + 1}`);
      writeFileSync(path.join(dir, 'collaudo-ec.yaml'), profile);
      const w = await sh(local(wait!), dir);
      expect(w.code, w.out).toBe(0);
      const t = Date.now();
      const r = await sh(local(run!), dir, { CI_NODE_INDEX: String(i + 1), CI_NODE_TOTAL: String(parallel) });
      jobs.push({ dir, ...r, ms: Date.now() - t });
    }
    const shardsMs = Date.now() - t0;
    for (const [i, j] of jobs.entries()) expect(j.code, `shard ${i + 1}: ${j.out.slice(-2500)}`).toBe(0);

    // the merge job: the shards' artifacts, then its script
    const report = tmp('certificate');
    for (const j of jobs) cpSync(path.join(j.dir, 'collaudo-results'), path.join(report, 'collaudo-results'), { recursive: true });
    expect(readdirSync(path.join(report, 'collaudo-results')).sort()).toEqual(jobs.map((_, i) => `shard-${i + 1}`));
    const t1 = Date.now();
    const merged = await sh(local(mergeLines.map((l) => l.line).find((l) => /collaudo merge/.test(l))!), report);
    expect(merged.code, merged.out.slice(-2500)).toBe(0);
    const out = path.join(report, 'collaudo-results/certificate');
    const cert = JSON.parse(readFileSync(path.join(out, 'certificate.json'), 'utf8')) as { verdict: string; scenarios: { id: string }[] };
    const parts = jobs.map((j, i) => (JSON.parse(readFileSync(path.join(j.dir, `collaudo-results/shard-${i + 1}/certificate.json`), 'utf8')) as { scenarios: unknown[] }).scenarios.length);
    expect(parts.every((n) => n > 0)).toBe(true);
    expect(cert.scenarios).toHaveLength(parts.reduce((a, b) => a + b, 0));
    expect(cert.verdict).toBe('PASS');
    expect(junitErrors(readFileSync(path.join(out, 'junit.xml'), 'utf8'))).toEqual([]);
    process.stderr.write(`CI template run for real: ${parallel} shards one after the other ${(shardsMs / 1000).toFixed(1)} s (${jobs.map((j, i) => `${parts[i]} scenarios in ${(j.ms / 1000).toFixed(1)} s`).join(', ')}), merge ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);
  }, REAL_RUN_MS + 60_000);
});
