// Pact PROVIDER verification of FdR 3 (issue 12, deliver 6): the reference Nodo's FdR 3 server,
// on a real socket, replays every interaction of the contracts in pacts/ (written by
// fdr-pact-consumer.test.ts) after setting up its provider state, and must answer each one as the
// contract says. A vendor verifies its own client's contracts against the reference Nodo the same
// way: COLLAUDO_PACTS=path/to/its-pact.json[,…] adds them to the run (README, "FdR 3 contracts").
import { existsSync } from 'node:fs';
import { Verifier } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { FdrRestServer } from '../actors/nodo/fdr/rest-server.js';
import { FDR_REGISTRY } from './support/fdr-rest.js';
import { ORG_PACT, PSP_PACT, pactFile, referenceNodoStates, registryFor } from './support/fdr-pact.js';

const clock = new VirtualClock();
const flows = new FlowStore(clock);
const server = new FdrRestServer({ clock, registry: FDR_REGISTRY, flows });
beforeAll(async () => { await server.start(); });
afterAll(async () => { await server.stop(); });

const vendorPacts = (process.env['COLLAUDO_PACTS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const verify = (provider: string, pactUrls: string[], s = server, f = flows) =>
  new Verifier({ provider, providerBaseUrl: s.url, pactUrls, stateHandlers: referenceNodoStates(s, f), logLevel: 'error' }).verifyProvider();

describe('the reference Nodo honours the FdR 3 contracts (provider)', () => {
  it('for PSPs: create, add, publish, the refusal of a drafted name, the read-back', async () => {
    expect(existsSync(pactFile(PSP_PACT))).toBe(true);
    await expect(verify(PSP_PACT.provider, [pactFile(PSP_PACT)])).resolves.toBeDefined();
    // the contract's flow really went through: published, with its two payments
    expect(flows.get('88888888888', '2026-11-2388888888888-0000001')?.flow.lines).toHaveLength(2);
  });

  it('for organisations: the list, one flow, its payments, an unknown flow', async () => {
    expect(existsSync(pactFile(ORG_PACT))).toBe(true);
    await expect(verify(ORG_PACT.provider, [pactFile(ORG_PACT)])).resolves.toBeDefined();
  });

  it('a provider that breaks the contract fails the verification (here: the EC is not enabled, every read is FDR-2009)', async () => {
    const broken = new FdrRestServer({ clock, registry: { ...FDR_REGISTRY, ecs: FDR_REGISTRY.ecs.map((e) => ({ ...e, enabled: false })) }, flows: new FlowStore(clock) });
    await broken.start();
    console.info('expected: the Pact verifier reports FAILED interactions below (a deliberately broken provider)');
    try {
      await expect(verify(ORG_PACT.provider, [pactFile(ORG_PACT)], broken)).rejects.toThrow();
    } finally {
      await broken.stop();
    }
  });

  // registered only when a vendor names its own contracts (never a skipped test otherwise)
  if (vendorPacts.length > 0) {
    it(`for the vendor contracts in COLLAUDO_PACTS (${vendorPacts.join(', ')})`, async () => {
      // the vendor's own ids join the registry (its contracts name its PSP, broker, channel, EC)
      const vendorFlows = new FlowStore(clock);
      const vendor = new FdrRestServer({ clock, registry: registryFor(vendorPacts, FDR_REGISTRY), flows: vendorFlows });
      await vendor.start();
      try {
        await expect(verify('pagopa-fdr3', vendorPacts, vendor, vendorFlows)).resolves.toBeDefined();
      } finally {
        await vendor.stop();
      }
    });
  }
});
