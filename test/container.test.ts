// A candidate given as a container image (profile candidate.image). These machines have no container
// engine: a run must stop within a bounded time with exit 2 and a clear message — also when
// DOCKER_HOST points at a listener that accepts and never answers (the probe would hang forever
// without its timeout, notes/libraries.md §7). The container-start path itself needs an engine and
// is not exercised here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../seats/ec.js';
import { loadProfile } from '../src/profile/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-container-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profile = path.join(dir, 'image-ec.yaml');
writeFileSync(
  profile,
  `seat: ec
name: EC given as an image
ec:
  idPA: "01234567890"
  idBrokerPA: "01234567890"
  idStation: "01234567890_01"
  auxDigit: 3
  segregationCode: "01"
candidate:
  image: registry.invalid/collaudo/ec-under-test:1.0
  port: 8080
  env:
    SPRING_PROFILES_ACTIVE: collaudo
  startupTimeoutMs: 30000
endpoint:
  url: http://localhost:8080/pagopa/paForNode
notices:
  payable: ["301000000000000144"]
`,
);

function run(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin/collaudo.mjs'), 'run', '--profile', profile, '--out', path.join(dir, 'out'), '--no-allure'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    // a hang would be the bug under test: kill well after the bound, so the assertion reports it
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

const baseEnv = (): NodeJS.ProcessEnv => {
  const e = { ...process.env };
  delete e.DOCKER_HOST;
  delete e.COLLAUDO_ENDPOINT_URL;
  // no engine socket to find, whatever the machine has
  e.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE = path.join(dir, 'no-such-docker.sock');
  return e;
};

describe('candidate.image without a container engine', () => {
  it('the profile schema accepts candidate.image with port, env and startup timeout', () => {
    const l = loadProfile(profile);
    expect(l.profile.candidate).toEqual({ image: 'registry.invalid/collaudo/ec-under-test:1.0', port: 8080, env: { SPRING_PROFILES_ACTIVE: 'collaudo' }, startupTimeoutMs: 30000 });
  });

  it('no engine: exit 2 within a bounded time, with a message naming the image and the missing engine', async () => {
    const r = await run(baseEnv());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/candidate\.image registry\.invalid\/collaudo\/ec-under-test:1\.0: cannot start the candidate, no container engine is available/);
    expect(r.ms).toBeLessThan(20_000);
  }, 60_000);

  it('DOCKER_HOST at a listener that accepts and never answers: the probe gives up, exit 2 within a bounded time', async () => {
    const sockets: net.Socket[] = [];
    let accepted = 0;
    const server = net.createServer((s) => {
      accepted++;
      sockets.push(s); // accept, read, never reply
      s.on('error', () => undefined);
      s.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const env = baseEnv();
      delete env.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE;
      env.DOCKER_HOST = `tcp://127.0.0.1:${port}`;
      const r = await run(env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/no container engine is available/);
      // with testcontainers installed the probe reaches the listener and is cut by its 3 s timeout
      if (!/not installed/.test(r.stderr)) {
        expect(r.stderr).toMatch(/no answer from the container engine within 3000 ms \(DOCKER_HOST=tcp:\/\/127\.0\.0\.1:\d+\)|DOCKER_HOST/);
        expect(accepted).toBeGreaterThan(0);
      }
      expect(r.ms).toBeLessThan(25_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
