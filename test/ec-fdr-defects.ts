// Unit demonstrations of the reconciliation defect switches of the reference EC (spread into
// DEFECT_TESTS of ec-reference-defects.test.ts): each asserts the defective behaviour, so it passes on
// the mutant and fails on the reference EC. The flows come from a FlowStore served by the reference
// Nodo's FdR 3 server and by SoapFlows' nodeForPa handling on a ReferenceNodo.
import { expect } from 'vitest';
import type { EcDefect, ReferenceEc } from '../candidates/ec/index.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { FdrRestServer } from '../actors/nodo/fdr/rest-server.js';
import { ReferenceNodo } from '../actors/nodo/index.js';
import { Journal } from '../src/core/journal.js';
import { harnessPspEntries, type Registry } from '../domain/registry.js';
import { flowXml } from '../domain/fdr/document.js';
import { flowToRest } from '../domain/fdr/rest.js';
import type { FlowLine, ReportingFlow } from '../domain/fdr/types.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { FC, BROKER, STATION, clock } from './support/ec-reference.js';
import type { FdrRound } from '../candidates/ec/fdr/reconciler.js';

type FdrDefect = Extract<EcDefect, `fdr-${string}`>;

let seq = 0;
function flow(lines: Omit<FlowLine, 'date'>[], flowId = `2026-01-05${HARNESS_PSP.idPSP}-u${++seq}`): ReportingFlow {
  return {
    flowId, flowDate: '2026-01-05T10:00:00', idPSP: HARNESS_PSP.idPSP, sender: { idType: 'B', id: 'CLLDITMMXXX', name: 'Collaudo Test PSP' }, ecFiscalCode: FC, receiver: { idType: 'G', id: FC, name: 'Comune' },
    regulationId: `SCT${seq}`, regulationDate: '2026-01-05', totalCount: lines.length, totalCents: lines.reduce((s, l) => s + l.amountCents, 0), lines: lines.map((l, i) => ({ ...l, date: '2026-01-05', index: i + 1 })),
  };
}

interface Rig {
  registry: Registry;
  store: FlowStore;
  rest: FdrRestServer;
  nodo: ReferenceNodo;
  journal: Journal;
  round(m: ReferenceEc, o?: Partial<FdrRound>): Promise<void>;
  publishRest(f: ReportingFlow): void;
}

async function withRig(fn: (r: Rig) => Promise<void>): Promise<void> {
  const registry: Registry = {
    ecs: [{ fiscalCode: FC, companyName: 'Comune', enabled: true, ibans: [], stations: [{ idStation: STATION, segregationCode: 1, auxDigit: 3, applicationCode: undefined, broadcast: false } as never] }],
    brokersPa: [{ idBrokerPA: BROKER, enabled: true } as never],
    stations: [{ idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url: 'http://127.0.0.1:9/', version: 1 }],
    ...harnessPspEntries(),
  };
  const journal = new Journal(clock);
  const store = new FlowStore(clock);
  const rest = new FdrRestServer({ clock, registry, flows: store, journal: () => journal });
  const nodo = new ReferenceNodo({ clock, registry, journal: () => journal, flows: store });
  const urls = await rest.start();
  await nodo.start();
  const rig: Rig = {
    registry, store, rest, nodo, journal,
    async round(m, o = {}) {
      await m.fdr.round({ model: 'new', fiscalCode: FC, restUrl: urls.organizationUrl, soapUrl: nodo.nodeForPaUrl, ...o });
    },
    publishRest(f) {
      const { request, payments } = flowToRest(f);
      expect(rest.drafts.create(f.idPSP, request).ok).toBe(true);
      expect(rest.drafts.add(f.idPSP, f.flowId, payments).ok).toBe(true);
      expect(rest.drafts.publish(f.idPSP, f.flowId).ok).toBe(true);
    },
  };
  try {
    await fn(rig);
  } finally {
    await rest.stop();
    await nodo.stop();
  }
}

const iuvOf = (noticeNumber: string) => noticeNumber.slice(1);
const gets = (j: Journal, op: string) => j.entries.filter((e) => e.direction === 'request' && e.primitive === op).length;

export const FDR_DEFECT_TESTS: Record<FdrDefect, (m: ReferenceEc) => Promise<void>> = {
  async 'fdr-ignores-code-9'(m) {
    const p = m.provision({ state: 'payable' });
    await withRig(async (r) => {
      r.publishRest(flow([{ iuv: iuvOf(p.noticeNumber), iur: 'IUR9', idTransfer: 1, amountCents: 100, outcomeCode: '9' }]));
      await r.round(m);
    });
    expect(m.archive.get(FC, p.noticeNumber)?.state).toBe('payable');
  },
  async 'fdr-rereads-all'(m) {
    await withRig(async (r) => {
      r.publishRest(flow([{ iuv: '01000000000000001', iur: 'IUR1', idTransfer: 1, amountCents: 100, outcomeCode: '9' }]));
      await r.round(m, { soapUrl: undefined });
      await r.round(m, { soapUrl: undefined });
      expect(gets(r.journal, 'getOrganizationFlow')).toBe(2);
    });
  },
  async 'fdr-unknown-id-loop'(m) {
    await withRig(async (r) => {
      await r.round(m, { soapUrl: undefined, flows: [{ flowId: '2020-01-01CLLDITMM001-none', idPSP: HARNESS_PSP.idPSP, revision: 1 }] });
      expect(gets(r.journal, 'getOrganizationFlow')).toBeGreaterThan(1);
    });
  },
  async 'fdr-refuses-standin'(m) {
    const p = m.provision({ state: 'payable' });
    await withRig(async (r) => {
      r.publishRest(flow([{ iuv: iuvOf(p.noticeNumber), iur: 'IUR8', idTransfer: 1, amountCents: 100, outcomeCode: '8' }]));
      await r.round(m);
    });
    expect(m.archive.get(FC, p.noticeNumber)?.state).toBe('payable');
  },
  async 'fdr-books-copies-twice'(m) {
    await withRig(async (r) => {
      const f = flow([{ iuv: '01000000000000002', iur: 'IUR2', idTransfer: 1, amountCents: 100, outcomeCode: '0' }]);
      r.publishRest(f);
      r.store.publish({ ...f, flowDate: '2026-01-05T11:00:00' }, 'soap-new', flowXml({ ...f, flowDate: '2026-01-05T11:00:00' }));
      await r.round(m);
    });
    expect(m.fdr.readBack(FC).lines.filter((l) => l.iur === 'IUR2')).toHaveLength(2);
  },
  async 'fdr-superseded-revision'(m) {
    const a = m.provision({ state: 'payable' });
    const b = m.provision({ state: 'payable' });
    await withRig(async (r) => {
      const f1 = flow([{ iuv: iuvOf(a.noticeNumber), iur: 'IURA', idTransfer: 1, amountCents: 100, outcomeCode: '9' }]);
      r.publishRest(f1);
      r.publishRest(flow([{ iuv: iuvOf(b.noticeNumber), iur: 'IURB', idTransfer: 1, amountCents: 100, outcomeCode: '9' }], f1.flowId));
      await r.round(m, { soapUrl: undefined });
    });
    expect(m.archive.get(FC, a.noticeNumber)?.state).toBe('paid');
    expect(m.archive.get(FC, b.noticeNumber)?.state).toBe('payable');
  },
  async 'fdr-key-without-transfer'(m) {
    await withRig(async (r) => {
      r.publishRest(flow([
        { iuv: '01000000000000003', iur: 'IUR3', idTransfer: 1, amountCents: 70, outcomeCode: '9' },
        { iuv: '01000000000000003', iur: 'IUR3', idTransfer: 2, amountCents: 30, outcomeCode: '9' },
      ]));
      await r.round(m);
    });
    expect(m.fdr.readBack(FC).lines.filter((l) => l.iur === 'IUR3')).toHaveLength(1);
  },
  async 'fdr-reads-without-list'(m) {
    const p = m.provision({ state: 'payable' });
    await withRig(async (r) => {
      r.publishRest(flow([{ iuv: iuvOf(p.noticeNumber), iur: 'IURL', idTransfer: 1, amountCents: 100, outcomeCode: '9' }]));
      await r.round(m);
      expect(gets(r.journal, 'listOrganizationFlows')).toBe(0);
    });
    // nothing listed, nothing read: the code-9 position stays open
    expect(m.archive.get(FC, p.noticeNumber)?.state).toBe('payable');
  },
  async 'fdr-wrong-password'(m) {
    await withRig(async (r) => {
      r.registry.stations[0]!.password = 'stazione01pwd';
      r.publishRest(flow([{ iuv: '01000000000000004', iur: 'IUR4', idTransfer: 1, amountCents: 100, outcomeCode: '9' }]));
      await r.round(m, { restUrl: undefined, password: 'stazione01pwd' });
      const faults = r.journal.entries.filter((e) => e.direction === 'response' && e.primitive === 'nodoChiediElencoFlussiRendicontazione' && e.raw.includes('PPT_AUTENTICAZIONE'));
      expect(faults.length).toBeGreaterThan(0);
    });
  },
};
