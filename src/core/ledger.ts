// The run's ledger: every payment the platform settled and every flow reported, across scenarios.
// Reference parts write to it as things happen; a later scenario reads it (reconciliation judges a
// flow against every receipt of the run). It is per run: with --shard each shard keeps its own and
// `merge` joins them. Nothing in it changes a verdict by itself; order of scenarios never matters,
// because readers select by key (EC, PSP, day), never by position.
import type { FlowTransport, ReportingFlow } from '../../domain/fdr/types.js';

/** One payment as the platform settled it (a receipt/RT), model-neutral. */
export interface LedgerReceipt {
  /** which model produced it: 'new' (paSendRT) or 'old' (RT) */
  model: string;
  /** the receipt's id: paymentToken (new model), identificativoUnivocoRiscossione… (old model) */
  receiptId: string;
  /** EC that issued the notice */
  ecFiscalCode: string;
  noticeNumber?: string;
  /** IUV (creditorReferenceId / identificativoUnivocoVersamento) */
  iuv?: string;
  /** CCP of the old model */
  ccp?: string;
  idPSP: string;
  idChannel?: string;
  outcome: 'OK' | 'KO';
  amountCents: number;
  /** per transfer (datiSingoloPagamento): its position 1..5, beneficiary, amount, IBAN (none: an @e.bollo stamp, NM-A-25) and, old model, the IUR the RT gives it */
  transfers: { index: number; ecFiscalCode: string; amountCents: number; iban?: string; iur?: string }[];
  /** a receipt the platform produced in Stand-In (standIn=true): its FdR line carries code 4 (NM-A-24) */
  standIn?: boolean;
  /** payment date-time (ISO) */
  paidAt: string;
  /** clock time it was recorded */
  at: number;
  /** scenario that produced it (when known) */
  scenario?: string;
}

/**
 * A reporting flow (FdR) as the platform accepted it, model-neutral (domain/fdr/types.ts): judged
 * against the receipts. Recorded again under the same (idPSP, flowId), the latest revision replaces it.
 */
export type LedgerFlow = ReportingFlow & {
  transport: FlowTransport;
  /** clock time it was recorded */
  at: number;
  scenario?: string;
};

export interface LedgerFilter {
  ecFiscalCode?: string;
  idPSP?: string;
  model?: string;
  /** paidAt's day (YYYY-MM-DD) */
  day?: string;
}

export class Ledger {
  private readonly receiptList: LedgerReceipt[] = [];
  private readonly flowList: LedgerFlow[] = [];
  private readonly listeners = new Set<() => void>();

  /**
   * Records a receipt; a receipt recorded again (same model, id, EC and IUV) replaces the earlier
   * record. The IUV is part of the key: one debit of an old-model cart gives one IUR to every RT (L571).
   */
  recordReceipt(r: LedgerReceipt): void {
    const i = this.receiptList.findIndex((x) => x.model === r.model && x.receiptId === r.receiptId && x.ecFiscalCode === r.ecFiscalCode && x.iuv === r.iuv);
    if (i >= 0) this.receiptList[i] = structuredClone(r);
    else this.receiptList.push(structuredClone(r));
    this.changed();
  }

  recordFlow(f: LedgerFlow): void {
    const i = this.flowList.findIndex((x) => x.flowId === f.flowId && x.idPSP === f.idPSP);
    if (i >= 0) this.flowList[i] = structuredClone(f);
    else this.flowList.push(structuredClone(f));
    this.changed();
  }

  receipts(f: LedgerFilter = {}): LedgerReceipt[] {
    return this.receiptList
      .filter((r) => (f.ecFiscalCode === undefined || r.ecFiscalCode === f.ecFiscalCode || r.transfers.some((t) => t.ecFiscalCode === f.ecFiscalCode)) && (f.idPSP === undefined || r.idPSP === f.idPSP) && (f.model === undefined || r.model === f.model) && (f.day === undefined || r.paidAt.startsWith(f.day)))
      .map((r) => structuredClone(r));
  }

  flows(f: Omit<LedgerFilter, 'model'> = {}): LedgerFlow[] {
    return this.flowList
      .filter((x) => (f.idPSP === undefined || x.idPSP === f.idPSP) && (f.ecFiscalCode === undefined || x.ecFiscalCode === f.ecFiscalCode) && (f.day === undefined || x.flowDate.startsWith(f.day)))
      .map((x) => structuredClone(x));
  }

  /** Resolves when `test` holds, re-checked on every record; rejects after `deadlineMs` (a wait with a deadline, never a sleep). */
  waitFor(test: (l: Ledger) => boolean, deadlineMs: number): Promise<void> {
    if (test(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const l = () => {
        if (!test(this)) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`ledger: condition not met within ${deadlineMs} ms`));
      }, deadlineMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(l);
      };
      this.listeners.add(l);
    });
  }

  toJSON(): { receipts: LedgerReceipt[]; flows: LedgerFlow[] } {
    return { receipts: this.receipts(), flows: this.flows() };
  }

  /** The ledgers of several shards as one. */
  static merge(parts: { receipts: LedgerReceipt[]; flows: LedgerFlow[] }[]): Ledger {
    const l = new Ledger();
    for (const p of parts) {
      p.receipts.forEach((r) => l.recordReceipt(r));
      p.flows.forEach((f) => l.recordFlow(f));
    }
    return l;
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

/**
 * The run's ledger as one writer sees it: it reads the whole run, and what it records is marked with
 * the scenario that produced it (`scenarioOf`: a scenario id, or a lookup by the record's keys when
 * one writer serves scenarios side by side). A record that already names its scenario keeps it.
 */
export class ScenarioLedger extends Ledger {
  constructor(
    private readonly run: Ledger,
    private readonly scenarioOf: string | ((x: LedgerReceipt | LedgerFlow) => string | undefined),
  ) {
    super();
  }
  private scenario(x: LedgerReceipt | LedgerFlow): string | undefined {
    return x.scenario ?? (typeof this.scenarioOf === 'string' ? this.scenarioOf : this.scenarioOf(x));
  }
  override recordReceipt(r: LedgerReceipt): void {
    const scenario = this.scenario(r);
    this.run.recordReceipt(scenario === undefined ? r : { ...r, scenario });
  }
  override recordFlow(f: LedgerFlow): void {
    const scenario = this.scenario(f);
    this.run.recordFlow(scenario === undefined ? f : { ...f, scenario });
  }
  override receipts(f: LedgerFilter = {}): LedgerReceipt[] {
    return this.run.receipts(f);
  }
  override flows(f: Omit<LedgerFilter, 'model'> = {}): LedgerFlow[] {
    return this.run.flows(f);
  }
  override waitFor(test: (l: Ledger) => boolean, deadlineMs: number): Promise<void> {
    return this.run.waitFor(() => test(this), deadlineMs);
  }
  override toJSON(): { receipts: LedgerReceipt[]; flows: LedgerFlow[] } {
    return this.run.toJSON();
  }
}
