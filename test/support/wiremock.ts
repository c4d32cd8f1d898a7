// A real WireMock for the self-tests: the standalone jar the `wiremock` npm package ships, started with
// `java -jar` directly (killing the package's node wrapper would leave its java child running), on a
// loopback port, ready when it says so on stdout and its /__admin/health answers.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';
import { freePort } from './net.js';

/** Why WireMock cannot run here, or undefined when java answers. */
export function javaMissing(): string | undefined {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) return `java is not installed (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) return `java -version exited ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`;
  return undefined;
}

export function wiremockJar(): string {
  const dir = path.join(ROOT, 'node_modules/wiremock/build');
  const jar = readdirSync(dir).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
  if (!jar) throw new Error(`no wiremock-standalone-*.jar in ${dir}`);
  return path.join(dir, jar);
}

export interface WireMockServer {
  baseUrl: string;
  pid: number;
  startupMs: number;
  stop(): Promise<void>;
}

/** Starts WireMock with `rootDir` (its mappings/ are loaded at startup); resolves once it serves. */
export async function startWiremock(rootDir: string, deadlineMs = 30_000): Promise<WireMockServer> {
  const t0 = performance.now();
  const port = await freePort();
  const p: ChildProcessWithoutNullStreams = spawn('java', ['-jar', wiremockJar(), '--port', String(port), '--bind-address', '127.0.0.1', '--disable-banner', '--root-dir', rootDir]);
  const stop = async () => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => done(new Error(`WireMock did not start within ${deadlineMs} ms:\n${seen}`)), deadlineMs);
      const onData = (d: Buffer) => {
        seen += d.toString();
        if (/The WireMock server is started/.test(seen)) done();
      };
      const onExit = (code: number | null) => done(new Error(`WireMock exited (${code}) before it started:\n${seen}`));
      const done = (e?: Error) => {
        clearTimeout(timer);
        p.stdout.off('data', onData);
        p.stderr.off('data', onData);
        p.off('exit', onExit);
        if (e) reject(e);
        else resolve();
      };
      p.stdout.on('data', onData);
      p.stderr.on('data', onData);
      p.on('exit', onExit);
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const health = (await (await fetch(`${baseUrl}/__admin/health`, { signal: AbortSignal.timeout(deadlineMs) })).json()) as { status?: string };
    if (health.status !== 'healthy') throw new Error(`WireMock's /__admin/health says ${JSON.stringify(health)}`);
    // keep draining its output so that a full pipe never blocks it
    p.stdout.resume();
    p.stderr.resume();
    return { baseUrl, pid: p.pid!, startupMs: Math.round(performance.now() - t0), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
