// The state the old-model flows share: configuration, clock, registry, the RPT store, the calls to
// stations and PSPs, the RT deliveries and the Nodo's public URLs. OldNodo builds one; each flow
// file (ec.ts, psp.ts, revoca.ts, wisp.ts, queries.ts) takes it.
import type { Clock } from '../../../src/core/clock.js';
import type { Registry, StationEntry } from '../../../domain/registry.js';
import type { OldNodoTimeouts } from '../../../domain/timeouts.js';
import type { Operation } from '../../../src/wire/contract.js';
import type { FaultBean } from '../../../src/wire/soap.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import type { OldCalls } from './calls.js';
import type { OldNodoConfig, OldNodoDefect } from './config.js';
import { koAnswer, okAnswer } from './faults.js';
import type { RtDeliveries } from './rt-delivery.js';
import type { OldStore } from './store.js';
import type { SoapFlows } from '../fdr/soap-flows.js';

export interface OldCtx {
  readonly cfg: OldNodoConfig;
  readonly clock: Clock;
  readonly reg: Registry;
  readonly store: OldStore;
  readonly calls: OldCalls;
  readonly rts: RtDeliveries;
  readonly timeouts: Readonly<OldNodoTimeouts>;
  readonly defects: ReadonlySet<OldNodoDefect>;
  readonly rptAfterActivationMs: number;
  /** the reporting flows' SOAP side (upload, state, list, download), on the run's flow store */
  readonly fdr: SoapFlows;
  /** the Nodo's base URL as the outside world reaches it (WISP pages, the PSP's return) */
  base(): string;
}

/** The KO answer of `op` (fault first, its esito form, then `more`; wrapped when the response wraps). */
export function koOf(op: Operation, f: FaultBean, more: NodeObj = {}): NodeObj {
  return koAnswer(op, f, more);
}

/** The OK answer of `op` with its other fields. */
export function okOf(op: Operation, more: NodeObj = {}): NodeObj {
  return okAnswer(op, more);
}

export function stationOf(c: OldCtx, idStation: string): StationEntry | undefined {
  return c.reg.stations.find((s) => s.idStation === idStation);
}

/**
 * The station an RPT's RT goes to (paaInviaRT): the station that sent the RPT when it serves the RPT's
 * domain, else a station of that domain (a multi-beneficiary cart, sent by one intermediary's
 * station, holds RPTs of other ECs: each RT goes to its own domain's station, OLD-EC-PAY-07).
 */
export function rtStationOf(c: OldCtx, rec: { idDominio: string; idStation: string }): StationEntry | undefined {
  const links = c.reg.ecs.find((e) => e.fiscalCode === rec.idDominio)?.stations ?? [];
  if (!links.length || links.some((l) => l.idStation === rec.idStation)) return stationOf(c, rec.idStation);
  return links.map((l) => stationOf(c, l.idStation)).find((s) => s?.old) ?? stationOf(c, rec.idStation);
}
