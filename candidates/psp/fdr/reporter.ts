// The reference PSP reports its flows (FdR): asked by the trigger action `fdr-report`, it builds the
// flow of one EC and one payment day from its own collections (./flows.ts) and sends it
//  - over SOAP, nodoInviaFlussoRendicontazione (old model: NodoPerPsp; new model: nodeForPsp's legacy
//    operation): an answer without esito (timeout, unreadable) is followed by
//    nodoChiediStatoFlussoRendicontazione (OLD-FDR-ERR-07): FLUSSO_SCONOSCIUTO → sent again;
//    ELABORATO / IN_ELABORAZIONE / DUPLICATO → the Nodo has it; a KO PPT_SYSTEM_ERROR is retried;
//  - over FdR 3 REST (create, add in pages of ≤ 1000, publish; a correction is a new revision): a step
//    without answer, or a 5xx, is retried on the same schedule; FDR-3002 on create (a draft of the same
//    name left over) deletes the draft and creates again; any other FDR error ends the report, named.
// Retries follow NM-TR-06's slot·(2^k−1) on the injected clock, at most `maxAttempts` sends.
import type { Clock } from '../../../src/core/clock.js';
import { soapCall } from '../../../src/wire/http.js';
import { answerOfCall, isUsable } from '../../../src/wire/answer.js';
import { encodeEnvelope } from '../../../src/wire/soap.js';
import { type El, type NodeObj, child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import { parseAmount } from '../../../domain/common.js';
import { type RestCall, restCall } from '../../../src/wire/rest/client.js';
import { nodeForPsp, nodoPerPsp } from '../../../interfaces/index.js';
import { FDR_PSP } from '../../../interfaces/rest/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import { flowXml } from '../../../domain/fdr/document.js';
import { headerToRest, paymentsToRest } from '../../../domain/fdr/rest.js';
import type { ReportingFlow } from '../../../domain/fdr/types.js';
import type { PspIds } from '../../../domain/registry.js';
import { type FlowAsk, FlowBook } from './flows.js';
import { type FdrDefect, fdrBehaviours } from './defects.js';

export type FdrTransportChoice = 'soap' | 'rest';

/** What the reporter did: the flow it sent (identifier, revision when REST) or why it gave up. */
export interface FdrReportOutcome {
  ok: boolean;
  flowId?: string;
  lines?: number;
  message: string;
}

export interface FdrReporterOptions {
  clock: Clock;
  /** the channel each model reports on (the old model's may differ) */
  ids: { new: PspIds; old: PspIds };
  name: string;
  bic?: string;
  /** run tag in the identifiers' unique part (two runs against one platform stay apart) */
  tag?: string;
  defects: Iterable<string>;
  /** total sends of one step (default 3) */
  maxAttempts?: number;
  slotMs?: number;
}

/** The Nodo's addresses the reporter calls (known after the seat started it). */
export interface FdrEndpoints {
  /** nodeForPsp (new model) */
  nodeForPsp?: string;
  /** NodoPerPsp (old model) */
  nodoPerPsp?: string;
  /** FdR 3 PSP API base (…/fdr-psp/service/v1) */
  fdrPsp?: string;
  fdrHeaders?: Record<string, string>;
}

const PAGE = 1000;
const DAY_MS = 86_400_000;

export class FdrReporter {
  readonly book: FlowBook;
  readonly endpoints: FdrEndpoints = {};
  private readonly defects: string[];

  constructor(private readonly o: FdrReporterOptions) {
    this.book = new FlowBook({ ...o.ids.new, name: o.name, bic: o.bic ?? 'CLLDITMMXXX' }, o.tag ?? 'R');
    this.defects = [...o.defects];
  }

  /** New model: a payment whose OK outcome the Nodo accepted, one collection per transfer of the activation's answer. */
  collectNew(activation: El | undefined, paymentToken: string, standIn: boolean): void {
    const iuv = textOf(activation, 'creditorReferenceId') ?? '';
    for (const t of childrenNamed(child(activation, 'transferList'), 'transfer')) {
      this.book.collect({
        model: 'new', ecFiscalCode: textOf(t, 'fiscalCodePA') ?? '', iuv, iur: paymentToken,
        idTransfer: Number(textOf(t, 'idTransfer') ?? '1'), amountCents: parseAmount(textOf(t, 'transferAmount')) ?? 0,
        code: standIn ? '4' : '0', at: this.o.clock.now(),
      });
    }
  }

  /**
   * New model: an OK outcome the Nodo refused after the token expired (PPT_TOKEN_SCADUTO, or
   * PPT_PAGAMENTO_DUPLICATO once another token paid the notice: NM-A-03). The reference PSP reverses
   * the collection towards the user, so it owes the EC no line (NM-PSPPAY-CONC-02); `fdr-expired-as-0`
   * books it all the same, as a payment with receipt.
   */
  refusedNew(activation: El | undefined, paymentToken: string, faultCode: string | undefined): void {
    if (faultCode !== 'PPT_TOKEN_SCADUTO' && faultCode !== 'PPT_PAGAMENTO_DUPLICATO') return;
    if (this.has('new')('fdr-expired-as-0')) this.collectNew(activation, paymentToken, false);
  }

  private has(model: 'new' | 'old'): (d: FdrDefect) => boolean {
    const set = fdrBehaviours(this.defects, model);
    return (d) => set.has(d);
  }

  /** Builds and sends the flow `ask` describes. */
  async report(ask: FlowAsk, transport: FdrTransportChoice): Promise<FdrReportOutcome> {
    const has = this.has(ask.model);
    if (has('fdr-late')) await this.o.clock.sleep(3 * DAY_MS);
    if (has('fdr-revision-late') && ask.revise) await this.o.clock.sleep(7 * DAY_MS);
    const ids = this.o.ids[ask.model];
    const made: ReportingFlow = { ...this.book.flow(ask, this.o.clock.now(), has), idPSP: ids.idPSP, idBrokerPSP: ids.idBrokerPSP, idChannel: ids.idChannel };
    // FlussoRiversamento 1.0.4 lists 0, 3, 9 only: over SOAP a Stand-In payment goes as 0 (8 as 9), NM-A-24
    const flow = transport === 'soap' ? { ...made, lines: made.lines.map((l) => (l.outcomeCode === '4' ? { ...l, outcomeCode: '0' as const } : l.outcomeCode === '8' ? { ...l, outcomeCode: '9' as const } : l)) } : made;
    if (!flow.lines.length) return { ok: false, flowId: flow.flowId, lines: 0, message: `no collection for EC ${ask.ecFiscalCode} in the window: nothing to report` };
    return transport === 'rest' ? this.rest(flow, ids) : this.soap(flow, ask.model, ids, has);
  }

  // ------------------------------------------------------------------ SOAP

  private async soap(flow: ReportingFlow, model: 'new' | 'old', ids: PspIds, has: (d: FdrDefect) => boolean): Promise<FdrReportOutcome> {
    const url = model === 'new' ? this.endpoints.nodeForPsp : this.endpoints.nodoPerPsp;
    if (!url) return { ok: false, flowId: flow.flowId, message: `the ${model}-model Nodo's address is not known` };
    const pack = model === 'new' ? nodeForPsp : nodoPerPsp;
    const channel = { identificativoPSP: ids.idPSP, identificativoIntermediarioPSP: ids.idBrokerPSP, identificativoCanale: ids.idChannel, password: ids.password };
    const upload = {
      ...channel,
      identificativoDominio: flow.ecFiscalCode,
      identificativoFlusso: flow.flowId,
      dataOraFlusso: has('fdr-upload-date-only') ? flow.flowDate.slice(0, 10) : flow.flowDate,
      xmlRendicontazione: Buffer.from(flowXml(flow), 'utf8').toString('base64'),
    };
    const max = this.o.maxAttempts ?? 3;
    let last = '';
    for (let k = 1; k <= max; k++) {
      const a = await this.soapCall(pack.operations, 'nodoInviaFlussoRendicontazione', url, upload);
      if (a.usable) {
        if (a.esito === 'OK') return { ok: true, flowId: flow.flowId, lines: flow.lines.length, message: `flow ${flow.flowId} (${flow.lines.length} lines) taken by the Nodo` };
        if (a.faultCode !== 'PPT_SYSTEM_ERROR') return { ok: false, flowId: flow.flowId, message: `flow ${flow.flowId} refused: ${a.faultCode} ${a.description ?? ''}`.trim() };
        last = `KO ${a.faultCode}`;
      } else {
        last = a.problem;
        // no esito: did the Nodo take it? (OLD-FDR-ERR-07) — unless the defect sends it again blindly
        if (!has('fdr-resend-on-timeout')) {
          const s = await this.soapCall(pack.operations, 'nodoChiediStatoFlussoRendicontazione', url, { ...channel, identificativoFlusso: flow.flowId });
          const stato = s.usable && s.esito === 'OK' ? s.stato : undefined;
          if (stato && stato !== 'FLUSSO_SCONOSCIUTO') return { ok: true, flowId: flow.flowId, lines: flow.lines.length, message: `flow ${flow.flowId}: the upload went unanswered, the Nodo says ${stato}` };
        }
      }
      if (k < max) await this.o.clock.sleep((this.o.slotMs ?? 1000) * (2 ** k - 1));
    }
    return { ok: false, flowId: flow.flowId, message: `flow ${flow.flowId} not delivered after ${max} sends: ${last}` };
  }

  private async soapCall(ops: readonly Operation[], name: string, url: string, content: NodeObj): Promise<{ usable: true; esito?: string; faultCode?: string; description?: string; stato?: string } | { usable: false; problem: string }> {
    const op = ops.find((x) => x.name === name)!;
    const r = await soapCall({ url, op, envelope: encodeEnvelope(op, 'request', content), from: 'psp', to: 'nodo', timeoutMs: 30_000, clock: this.o.clock, realCapMs: this.o.clock.virtual ? 1500 : undefined, headers: { 'x-collaudo-from': 'psp' } });
    const a = answerOfCall(r);
    if (!isUsable(a) || a.op !== op) return { usable: false, problem: a.problem ?? `not a valid ${op.response}` };
    return { usable: true, esito: a.outcome, faultCode: a.fault?.faultCode, description: a.fault?.description, stato: textOf(a.body, 'stato') };
  }

  // ------------------------------------------------------------------ FdR 3 REST

  private async rest(flow: ReportingFlow, ids: PspIds): Promise<FdrReportOutcome> {
    const base = this.endpoints.fdrPsp;
    if (!base) return { ok: false, flowId: flow.flowId, message: "the FdR 3 API's address is not known" };
    const at = `${base}/psps/${encodeURIComponent(ids.idPSP)}/fdrs/${encodeURIComponent(flow.flowId)}`;
    const fail = (step: string, r: RestCall) => ({ ok: false, flowId: flow.flowId, message: `flow ${flow.flowId}: ${step} ${describe(r)}` });
    let c = await this.restStep('POST', 'createFlow', at, headerToRest(flow));
    if (codeOf(c) === 'FDR-3002') {
      // a draft of this name is left over (an earlier attempt): start again from a clean draft
      await this.restStep('DELETE', 'deleteFlow', at);
      c = await this.restStep('POST', 'createFlow', at, headerToRest(flow));
    }
    if (!ok(c)) return fail('create', c);
    for (let from = 0; from < flow.lines.length; from += PAGE) {
      const a = await this.restStep('PUT', 'addPayments', `${at}/payments/add`, { payments: paymentsToRest(flow, from, Math.min(flow.lines.length, from + PAGE)) });
      // FDR-3006 on a retried page: the first send went through
      if (!ok(a) && codeOf(a) !== 'FDR-3006') return fail('add', a);
    }
    const p = await this.restStep('POST', 'publishFlow', `${at}/publish`);
    if (!ok(p)) return fail('publish', p);
    return { ok: true, flowId: flow.flowId, lines: flow.lines.length, message: `flow ${flow.flowId} (${flow.lines.length} lines) published through FdR 3` };
  }

  /** One REST step, sent again (same body) while no answer or a 5xx comes back. */
  private async restStep(method: string, operationId: string, url: string, body?: unknown): Promise<RestCall> {
    const max = this.o.maxAttempts ?? 3;
    let r: RestCall | undefined;
    for (let k = 1; k <= max; k++) {
      r = await restCall({ url, method, operationId, api: FDR_PSP, body, clock: this.o.clock, from: 'psp', to: 'nodo', headers: this.endpoints.fdrHeaders, timeoutMs: 30_000, realCapMs: this.o.clock.virtual ? 1500 : undefined });
      if (r.transport === 'ok' && r.status !== undefined && r.status < 500) return r;
      if (k < max) await this.o.clock.sleep((this.o.slotMs ?? 1000) * (2 ** k - 1));
    }
    return r!;
  }
}

const codeOf = (r: RestCall): string | undefined => (r.json as { appErrorCode?: string } | undefined)?.appErrorCode;
const ok = (r: RestCall): boolean => r.transport === 'ok' && r.status !== undefined && r.status >= 200 && r.status < 300;
const describe = (r: RestCall): string => (r.transport !== 'ok' ? `no answer (${r.transport}${r.problem ? `: ${r.problem}` : ''})` : `HTTP ${r.status} ${codeOf(r) ?? ''} ${(r.json as { errors?: { message?: string }[] } | undefined)?.errors?.[0]?.message ?? ''}`.trim());
