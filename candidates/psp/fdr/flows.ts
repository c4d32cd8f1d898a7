// The reference PSP's reconciliation book: every collection it made (new model: the paymentToken and
// the transfers the activation returned; old model: each RT's datiSingoloPagamento with its IUR, and
// the collections whose RPT never came) and the flows it builds from them for one EC and one payment
// day. Pure bookkeeping: the sending is ./reporter.ts. Defect switches (./defects.ts) bend the flow
// the way PSPs have been seen to (a code 0 for a payment without receipt, totals off by a cent …).
import type { FlowLine, FlowOutcomeCode, ReportingFlow } from '../../../domain/fdr/types.js';
import { FlowIdSequence } from '../../../domain/fdr/ids.js';
import { localDateTime } from '../../../domain/fdr/calendar.js';
import type { FdrDefect } from './defects.js';

/** One line the PSP owes an EC: a transfer it collected. */
export interface Collection {
  model: 'new' | 'old';
  /** the beneficiary of this transfer (the flow's EC) */
  ecFiscalCode: string;
  iuv: string;
  /** new model: paymentToken; old model: the RT's identificativoUnivocoRiscossione */
  iur: string;
  /** the transfer's position 1..5 (idTransfer / indiceDatiSingoloPagamento) */
  idTransfer: number;
  amountCents: number;
  /** 0 with a receipt, 3 revoked, 4 Stand-In, 9 collected without RPT / receipt */
  code: FlowOutcomeCode;
  /** clock time of the collection */
  at: number;
}

/** What to report: the trigger's `fdr-report` params. */
export interface FlowAsk {
  model: 'new' | 'old';
  ecFiscalCode: string;
  /** the payment day D written on the lines */
  day: string;
  /** the day the flow is made (dataOraFlusso's date, the identifier's date) */
  today: string;
  /** collections made in [from, to) (clock instants) */
  from: number;
  to: number;
  /** a correction of this flow (same identifier, later dataOraFlusso) */
  revise?: string;
}

export interface PspIdentity {
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
  name: string;
  bic: string;
}

const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export class FlowBook {
  readonly collections: Collection[] = [];
  private readonly ids: FlowIdSequence;
  private lastId?: string;

  constructor(
    private readonly who: PspIdentity,
    tag: string,
  ) {
    this.ids = new FlowIdSequence(who.idPSP, tag);
  }

  collect(c: Collection): void {
    this.collections.push(c);
  }

  /** Replaces the collections of a model (the old model's are read from its archive at each report). */
  sync(model: Collection['model'], list: readonly Collection[]): void {
    for (let i = this.collections.length - 1; i >= 0; i--) if (this.collections[i]!.model === model) this.collections.splice(i, 1);
    this.collections.push(...list);
  }

  /** The flow of `ask`: every collection for the EC in the window, one line per transfer. */
  flow(ask: FlowAsk, clockNow: number, has: (d: FdrDefect) => boolean = () => false): ReportingFlow {
    const mine = this.collections.filter((c) => c.model === ask.model && c.ecFiscalCode === ask.ecFiscalCode && c.at >= ask.from && c.at < ask.to);
    let lines: FlowLine[] = mine.map((c, i) => ({ iuv: c.iuv, iur: c.iur, index: i + 1, idTransfer: c.idTransfer, amountCents: c.amountCents, outcomeCode: this.code(c, has), date: ask.day }));
    if (has('fdr-line-missing') && lines.length > 1) lines = lines.slice(1);
    if (has('fdr-line-twice') && lines.length) lines = [...lines, { ...lines[0]!, index: lines.length + 1 }];
    const flowId = this.flowId(ask, has);
    // the time of day in Italy with its offset: the same instant by SOAP and by FdR 3 (which reads a bare time as UTC)
    const time = localDateTime(clockNow).slice(11);
    // the SCT leaves the working day after D (TR-02, NM-TR-10), never after the flow is made
    const next = addDay(ask.day, 1);
    let regulationDate = next < ask.today ? next : ask.today;
    if (has('fdr-regulation-before-payment')) regulationDate = addDay(ask.day, -1);
    const totalCents = lines.reduce((s, l) => s + l.amountCents, 0) + (has('fdr-wrong-sum') ? 1 : 0);
    return {
      flowId,
      flowDate: `${ask.today}T${time}`,
      idPSP: this.who.idPSP,
      idBrokerPSP: this.who.idBrokerPSP,
      idChannel: this.who.idChannel,
      sender: { idType: 'B', id: this.who.bic, name: this.who.name },
      ecFiscalCode: ask.ecFiscalCode,
      receiver: { idType: 'G', id: ask.ecFiscalCode, name: ask.ecFiscalCode },
      // the SCT's reference: one SCT per flow (NM-FDR-VAL-03)
      regulationId: `SCT-${flowId}`.slice(0, 35),
      regulationDate,
      bicCodePouringBank: this.who.bic,
      totalCount: lines.length,
      totalCents,
      lines,
    };
  }

  private code(c: Collection, has: (d: FdrDefect) => boolean): FlowOutcomeCode {
    if (c.code === '9' && has('fdr-no-rpt-as-0')) return '0';
    if (c.code === '3' && has('fdr-revoked-as-0')) return '0';
    if (c.code === '4' && has('fdr-standin-as-0')) return '0';
    return c.code;
  }

  private flowId(ask: FlowAsk, has: (d: FdrDefect) => boolean): string {
    if (ask.revise) return ask.revise;
    if (has('fdr-reused-id') && this.lastId) return this.lastId;
    const id = has('fdr-bad-id') ? `FLUSSO/${ask.today}/${this.who.idPSP}` : this.ids.next(ask.today);
    this.lastId = id;
    return id;
  }
}

