// The profile's one reconciliation block (`fdr`): the same fields configure the PSP seat's and the EC
// seat's FdR parts (channels, calendar, where the harness's FdR 3 server listens), and the fields it
// replaced are refused with their new place named.
import { describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { ProfileError, fdrSettings, parseProfile, type LoadedProfile } from '../src/profile/index.js';
import { summarizeProfile } from '../src/profile/describe.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { startFdrSide } from '../seats/psp-fdr.js';
import { EcFdr } from '../seats/ec-fdr.js';
import { readsRest, readsSoap } from '../suites/ec/fdr/lib.js';
import { freePort } from './support/net.js';

const EC = `seat: ec
name: an EC
ec: { idPA: "77777777777", idBrokerPA: "15376371009", idStation: "15376371009_01", auxDigit: 3, segregationCode: "01" }
endpoint: { url: https://ec.example.it/pa }
harness: { platform: { port: 18080 } }
`;

const PSP = `seat: psp
name: a PSP
psp: { idPSP: CLLDPSPRF01, idBrokerPSP: "01234567891", idChannel: 01234567891_01, password: reference_01 }
endpoint: { url: https://psp.example.it/pspForNode }
harness: { listen: { host: 127.0.0.1, port: 18090 } }
trigger: { http: { url: https://psp.example.it/trigger } }
`;

const fdrBlock = (port: number, extra = '') => `fdr:\n  transports: [rest]\n  dayMs: 60000\n  originDay: 2026-12-07\n  listen: { host: 127.0.0.1, port: ${port} }\n${extra}`;

function problemsOf(text: string): string[] {
  try {
    parseProfile(text, '/nowhere/profile.yaml');
  } catch (e) {
    if (e instanceof ProfileError) return e.problems;
    throw e;
  }
  throw new Error(`profile was accepted:\n${text}`);
}

describe('profile: one fdr block for both seats', () => {
  it('the same fdr block configures the PSP seat and the EC seat alike: transports, dayMs / originDay, listen port', async () => {
    const port = await freePort();
    const psp = parseProfile(`${PSP}${fdrBlock(port)}`, '/nowhere/psp.yaml');
    const ec = parseProfile(`${EC}${fdrBlock(port, '  readBack: https://ec.example.it/collaudo/reconciliation\n')}`, '/nowhere/ec.yaml');
    const clock = new RealClock();

    // the PSP seat: its FdR 3 API listens on fdr.listen, reports by fdr.transports, on days of fdr.dayMs from fdr.originDay
    const side = await startFdrSide({ loaded: psp as LoadedProfile, clock, flows: new FlowStore(clock), registry: { ecs: [], brokersPa: [], stations: [], psps: [], brokersPsp: [], channels: [] }, embedded: false });
    try {
      expect(new URL(side.pspUrl).port).toBe(String(port));
      expect(side.transports).toEqual(['rest']);
      expect([side.days.dayMs, side.days.dayOf(clock.now()).day]).toEqual([60_000, '2026-12-07']);
    } finally {
      await side.rest.stop();
    }

    // the EC seat: the same fields, the same meaning (how the EC reads; the harness's flows dated on that calendar)
    const fdr = new EcFdr(clock, ec.profile);
    const urls = await fdr.start();
    try {
      expect(new URL(urls.organizationUrl).port).toBe(String(port));
      const t = { profile: ec.profile } as Parameters<typeof readsSoap>[0];
      expect([readsSoap(t), readsRest(t)]).toEqual([false, true]);
      expect([fdr.days?.dayMs, fdr.dayOf(clock.now())]).toEqual([60_000, '2026-12-07']);
      expect(fdrSettings(ec.profile).readBack).toBe('https://ec.example.it/collaudo/reconciliation');
    } finally {
      await fdr.stop();
    }
  });

  it('collaudo profile shows the block the same way in both seats', () => {
    const line = (text: string) => summarizeProfile(parseProfile(text, '/nowhere/p.yaml')).adapters.find((a) => a.startsWith('reconciliation (fdr)'));
    expect(line(`${PSP}${fdrBlock(18082)}`)).toBe('reconciliation (fdr): rest; harness FdR 3 on 127.0.0.1:18082; a day lasts 60000 ms from 2026-12-07');
    expect(line(`${EC}${fdrBlock(18082, '  readBack: https://ec.example.it/rb\n')}`)).toBe('reconciliation (fdr): rest; harness FdR 3 on 127.0.0.1:18082; a day lasts 60000 ms from 2026-12-07; read-back at https://ec.example.it/rb');
    expect(line(PSP)).toBeUndefined();
  });

  it('defaults are the same in both seats: both transports, the calendar\'s own days, any free port on the Nodo\'s host', () => {
    const psp = fdrSettings(parseProfile(PSP, '/nowhere/psp.yaml').profile);
    const ec = fdrSettings(parseProfile(EC.replace('harness: { platform: { port: 18080 } }', 'harness: { platform: { port: 18080 }, listen: { host: 127.0.0.2, port: 18091 } }'), '/nowhere/ec.yaml').profile);
    expect(psp).toEqual({ transports: ['soap', 'rest'], listen: { host: '127.0.0.1', port: 0 } });
    expect(ec).toEqual({ transports: ['soap', 'rest'], listen: { host: '127.0.0.2', port: 0 } });
  });

  it('fdr.readBack is refused in seat psp (the EC\'s read-back)', () => {
    expect(problemsOf(`${PSP}fdr: { readBack: https://psp.example.it/x }\n`)).toContain("fdr.readBack: is for seat ec only (the EC's reconciliation read-back)");
  });

  it('the old reconciliation fields are refused naming their new place, not as unknown fields', () => {
    const ec = problemsOf(`${EC}reconciliation: { soap: false, readBack: https://ec.example.it/rb, dayMs: 60000 }\n`);
    expect(ec).toEqual([
      'reconciliation.soap: moved to fdr.transports (list soap; leave it out for an EC reading by SFTP) (one reconciliation block for both seats)',
      'reconciliation.readBack: moved to fdr.readBack (one reconciliation block for both seats)',
      'reconciliation.dayMs: moved to fdr.dayMs (one reconciliation block for both seats)',
    ]);
    expect(problemsOf(`${EC}reconciliation: {}\n`)).toEqual(['reconciliation: moved to fdr (transports, dayMs, originDay, readBack, listen) (one reconciliation block for both seats)']);
    const harnessFdr = problemsOf(`${EC.replace('harness: { platform: { port: 18080 } }', 'harness: { platform: { port: 18080 }, fdr: { port: 18081 } }')}`);
    expect(harnessFdr).toEqual(['harness.fdr.port: moved to fdr.listen.port (one reconciliation block for both seats)']);
    const fdrPort = problemsOf(PSP.replace('port: 18090 }', 'port: 18090, fdrPort: 18092 }'));
    expect(fdrPort).toEqual(['harness.listen.fdrPort: moved to fdr.listen.port (one reconciliation block for both seats)']);
  });

  it('a moved field does not hide the profile\'s other problems', () => {
    const problems = problemsOf(`${EC}reconciliation: { rest: true }\nfdr: { dayMs: 5 }\n`);
    expect(problems).toContain('reconciliation.rest: moved to fdr.transports (list rest) (one reconciliation block for both seats)');
    expect(problems.some((p) => p.startsWith('fdr.dayMs:'))).toBe(true);
    expect(problems.some((p) => /unknown field/.test(p))).toBe(false);
  });
});
