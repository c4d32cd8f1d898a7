// `collaudo profile <file>` as a user runs it: it validates, then says what the profile declares —
// identities, features on and off, test data, adapters — without printing a secret.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ROOT, collaudo } from './support/cli.js';
import { FEATURES } from '../src/profile/describe.js';

describe('collaudo profile', () => {
  it('prints the identities, every feature on or off, the notices and the adapters of an EC profile', async () => {
    const r = await collaudo(['profile', path.join(ROOT, 'fixtures/profiles/example-ec.yaml')], { EXAMPLE_SUBSCRIPTION_KEY: 'sk-very-secret-123' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/idStation 01234567890_01/);
    for (const f of Object.keys(FEATURES)) expect(r.stdout, f).toContain(f);
    expect(r.stdout).toMatch(/payable/);
    expect(r.stdout + r.stderr).not.toContain('sk-very-secret-123');
  });

  it('--json gives the PSP identities without the password, and the harness listen port', async () => {
    const r = await collaudo(['profile', '--json', path.join(ROOT, 'fixtures/profiles/reference-psp.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { seat: string; identities: Record<string, string>; features: { on: string[]; off: string[] }; adapters: string[] };
    expect(s.seat).toBe('psp');
    expect(s.identities.password).toBe('(set, not shown)');
    expect([...s.features.on, ...s.features.off].sort()).toEqual(Object.keys(FEATURES).sort());
    expect(s.adapters.join(' ')).toMatch(/harness Nodo listens on/);
  });

  it('an invalid profile still exits 2 naming the field', async () => {
    const r = await collaudo(['profile', path.join(ROOT, 'fixtures/profiles/example-psp.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/psp\.password: environment variable PSP_CHANNEL_PASSWORD is not set/);
  });
});
