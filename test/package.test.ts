// Issue 13 item 1: collaudo as an installable package. Does what a user does, in a folder outside the
// repo: `npm pack`, an empty project, `npm i <tarball>`, then `npx collaudo demo` and `npx collaudo run`
// with a profile of the user's own. Offline is fine: the packages are in npm's cache after `npm ci`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/core/paths.js';

interface Ran { code: number; stdout: string; stderr: string; ms: number }

// npm run by `npm test` exports npm_* variables (prefix, config); the user's shell has none of them
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));

function sh(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

interface PackedFile { path: string; size: number }
interface Packed { filename: string; size: number; unpackedSize: number; files: PackedFile[] }

describe('the npm package, installed into an empty project elsewhere', () => {
  let tmp = '';
  let project = '';
  let packed: Packed;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'collaudo-pkg-'));
    const r = await sh('npm', ['pack', '--json', '--pack-destination', tmp], PACKAGE_ROOT, 60_000);
    expect(r.code, r.stderr).toBe(0);
    packed = (JSON.parse(r.stdout) as [Packed])[0];
    project = path.join(tmp, 'project');
    await sh('mkdir', [project], tmp, 5_000);
    expect((await sh('npm', ['init', '-y'], project, 30_000)).code).toBe(0);
  }, 90_000);

  afterAll(async () => {
    if (!tmp) return;
    await sh('chmod', ['-R', 'u+w', tmp], tmp, 10_000);
    await rm(tmp, { recursive: true, force: true });
  });

  it('holds what the CLI needs and none of the tests, benches, CI scripts or caches', () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of ['bin/collaudo.mjs', 'bin/ts-hooks.mjs', 'cli/main.ts', 'src/profile/profile.schema.json',
      'src/catalogue/requirements.json', 'fixtures/profiles/reference-psp.yaml', 'suites/ec/payment.test.ts', 'README.md']) {
      expect(files, needed).toContain(needed);
    }
    const unwanted = files.filter((f) => /^(test|bench|pacts|\.ci|\.cache|collaudo-results|node_modules)\//.test(f) ||
      f.startsWith('fixtures/') && !f.startsWith('fixtures/profiles/') || f === 'package-lock.json' || f === 'vitest.config.ts');
    expect(unwanted).toEqual([]);
    console.log(`package: ${packed.filename}, ${(packed.size / 1e3).toFixed(0)} kB (unpacked ${(packed.unpackedSize / 1e6).toFixed(1)} MB), ${files.length} files`);
  });

  it('installs with no install-script warning, and the profile schema lands where the modeline points', async () => {
    const r = await sh('npm', ['i', path.join(tmp, packed.filename), '--prefer-offline', '--no-audit', '--no-fund'], project, 150_000);
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/install-scripts|allowScripts/);
    console.log(`npm i collaudo: ${(r.ms / 1e3).toFixed(1)} s — ${r.stdout.trim().split('\n').at(-1)}`);
    // the packages behind those warnings are not installed at all
    for (const absent of ['esbuild', 'testcontainers', 'ssh2', 'cpu-features', '@pact-foundation/pact']) {
      expect(existsSync(path.join(project, 'node_modules', absent)), absent).toBe(false);
    }
    expect(existsSync(path.join(project, 'node_modules/collaudo/src/profile/profile.schema.json'))).toBe(true);
    // a run writes nothing inside the package (a global install may be read-only to the user)
    expect((await sh('chmod', ['-R', 'a-w', path.join(project, 'node_modules/collaudo')], project, 10_000)).code).toBe(0);
  }, 160_000);

  it('npx collaudo demo certifies the bundled reference EC', async () => {
    const out = path.join(tmp, 'out-ec');
    const r = await sh('npx', ['--no', 'collaudo', 'demo', '--seat', 'ec', '--out', out], project, 150_000);
    expect(r.code, r.stderr || r.stdout.slice(-2000)).toBe(0);
    const cert = JSON.parse(await readFile(path.join(out, 'certificate.json'), 'utf8')) as { verdict: string; scenarios: unknown[] };
    expect(cert.verdict).toBe('PASS');
    expect(cert.scenarios.length).toBeGreaterThan(100);
    expect(existsSync(path.join(project, 'node_modules/collaudo/node_modules')), 'a cache written inside the package').toBe(false);
  }, 160_000);

  it('npx collaudo run certifies a candidate from a profile of the user\'s own, its modeline resolving', async () => {
    const reference = await readFile(path.join(project, 'node_modules/collaudo/fixtures/profiles/reference-psp.yaml'), 'utf8');
    const modeline = '# yaml-language-server: $schema=node_modules/collaudo/src/profile/profile.schema.json';
    const lines = reference.split('\n');
    expect(lines[0]).toMatch(/^# yaml-language-server: \$schema=/);
    const profile = [modeline, ...lines.slice(1)].join('\n').replace(/^name: .*$/m, 'name: a user\'s PSP (the reference, embedded)');
    await writeFile(path.join(project, 'psp.yaml'), profile);
    const schema = /\$schema=(\S+)/.exec(modeline)?.[1] ?? '';
    expect(existsSync(path.join(project, schema))).toBe(true);

    const shown = await sh('npx', ['--no', 'collaudo', 'profile', 'psp.yaml'], project, 60_000);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/profile psp\.yaml is valid/);

    const out = path.join(tmp, 'out-psp');
    const r = await sh('npx', ['--no', 'collaudo', 'run', '--seat', 'psp', '--profile', 'psp.yaml', '--scenario', 'PSP-PAY-01', '--out', out], project, 120_000);
    expect(r.code, r.stderr || r.stdout.slice(-2000)).toBe(0);
    const cert = JSON.parse(await readFile(path.join(out, 'certificate.json'), 'utf8')) as { verdict: string; candidate: { name: string }; scenarios: { id: string; verdict: string }[] };
    expect(cert.candidate.name).toBe('a user\'s PSP (the reference, embedded)');
    expect(cert.scenarios.map((s) => [s.id, s.verdict])).toEqual([['PSP-PAY-01', 'PASS']]);
  }, 130_000);
});
