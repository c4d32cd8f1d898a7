// A candidate given as a container image (profile `candidate.image`, issue 4 item 6): the run starts
// it with testcontainers, waits until its port answers, points the suite at it and stops it.
// testcontainers is an optional peer dependency (a user installs it only to run images), loaded with
// a dynamic import; the engine probe is bounded (notes/libraries.md §7: with DOCKER_HOST at a listener
// that never answers the probe hangs forever), so a machine without a container engine stops at once
// with exit 2 and a clear message.
import type { LoadedProfile } from '../src/profile/index.js';
import { UsageError } from './errors.js';

export const PROBE_TIMEOUT_MS = 3000;

export type Runtime = { ok: true; tc: TestcontainersModule } | { ok: false; reason: string };

/** The part of testcontainers we use (typed here: the package may be absent). */
interface TestcontainersModule {
  getContainerRuntimeClient(): Promise<unknown>;
  GenericContainer: new (image: string) => GenericContainerLike;
  Wait: { forListeningPorts(): unknown };
}
interface GenericContainerLike {
  withExposedPorts(...ports: number[]): GenericContainerLike;
  withEnvironment(env: Record<string, string>): GenericContainerLike;
  withWaitStrategy(w: unknown): GenericContainerLike;
  withStartupTimeout(ms: number): GenericContainerLike;
  start(): Promise<{ getHost(): string; getMappedPort(p: number): number; stop(): Promise<unknown> }>;
}

let cached: Promise<Runtime> | undefined;

/** Is there a usable container engine? Never takes longer than `timeoutMs` (plus the import). */
export function containerRuntime(timeoutMs = PROBE_TIMEOUT_MS): Promise<Runtime> {
  cached ??= (async (): Promise<Runtime> => {
    let tc: TestcontainersModule;
    try {
      const name = 'testcontainers';
      tc = (await import(name)) as TestcontainersModule;
    } catch (e) {
      return { ok: false, reason: `the testcontainers package is not installed (an optional peer dependency: npm install testcontainers@11.14.0): ${(e as Error).message.split('\n')[0]}` };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Runtime>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `no answer from the container engine within ${timeoutMs} ms${process.env.DOCKER_HOST ? ` (DOCKER_HOST=${process.env.DOCKER_HOST})` : ''}` }), timeoutMs);
      timer.unref();
    });
    const probe = tc.getContainerRuntimeClient().then(
      (): Runtime => ({ ok: true, tc }),
      (e: Error): Runtime => ({ ok: false, reason: e.message.split('\n')[0] ?? String(e) }),
    );
    const r = await Promise.race([probe, timeout]);
    clearTimeout(timer);
    return r;
  })();
  return cached;
}

export interface StartedCandidate {
  /** endpoint.url with the container's host and mapped port */
  url: string;
  stop(): Promise<void>;
}

/** Starts the candidate's image; throws a UsageError (exit 2) when no engine can run it. */
export async function startCandidate(loaded: LoadedProfile, log: (s: string) => void = () => undefined): Promise<StartedCandidate> {
  const c = loaded.profile.candidate;
  if (!c) throw new Error('startCandidate: the profile has no candidate.image');
  const rt = await containerRuntime();
  if (!rt.ok) {
    throw Object.assign(new UsageError(`candidate.image ${c.image}: cannot start the candidate, no container engine is available (${rt.reason}); start the image yourself and set endpoint.url, or run where Docker/Podman is available`), { exitNow: true });
  }
  log(`starting container ${c.image} (port ${c.port})…`);
  let started;
  try {
    started = await new rt.tc.GenericContainer(c.image)
      .withExposedPorts(c.port)
      .withEnvironment(c.env ?? {})
      .withWaitStrategy(rt.tc.Wait.forListeningPorts())
      .withStartupTimeout(c.startupTimeoutMs ?? 60_000)
      .start();
  } catch (e) {
    throw new UsageError(`candidate.image ${c.image}: the container did not start or its port ${c.port} never answered: ${(e as Error).message.split('\n')[0]}`);
  }
  const u = new URL(loaded.profile.endpoint.url);
  u.hostname = started.getHost();
  u.port = String(started.getMappedPort(c.port));
  log(`container ${c.image} answers at ${u.origin}`);
  const container = started;
  return {
    url: u.toString(),
    async stop() {
      await container.stop();
    },
  };
}
