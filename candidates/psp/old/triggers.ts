// The old-model actions of the reference PSP's trigger hook (POST /trigger, contract
// src/triggers/trigger.schema.json, seat psp): a valid request is answered 202 at once and the PSP
// acts afterwards (the scenario watches its calls to the Nodo); a request it cannot serve gets 400
// naming why. A report goes to reportUrl when the action is over.
import { parseAmount } from '../../../domain/common.js';
import { type TipoRevoca, iuvOfNotice } from '../../../domain/old/index.js';
import { OLD_PSP_TRIGGER_ACTIONS, type OldPspTriggerAction, TriggerError, type TriggerReport, type TriggerRequest, validateTriggerRequest } from '../../../src/triggers/index.js';
import type { OldPspPayments, PspPaymentResult } from './payments.js';
import type { SpontaneousRequest } from './spontaneous.js';

export { OLD_PSP_TRIGGER_ACTIONS, type OldPspTriggerAction };
export const isOldPspTriggerAction = (a: unknown): a is OldPspTriggerAction => (OLD_PSP_TRIGGER_ACTIONS as readonly unknown[]).includes(a);

type Json = { status: number; type: string; body: string };
const json = (status: number, v: unknown): Json => ({ status, type: 'application/json', body: JSON.stringify(v) });

export interface OldPspTriggerLog {
  requestId: string;
  scenarioId: string;
  action: OldPspTriggerAction;
  receivedAt: number;
  done?: boolean;
  result?: PspPaymentResult | Record<string, unknown>;
  error?: string;
}

export class OldPspTriggers {
  readonly log: OldPspTriggerLog[] = [];
  constructor(
    private readonly payments: OldPspPayments,
    private readonly now: () => number,
    private readonly track: (p: Promise<unknown>) => void,
    private readonly report: (url: string, r: TriggerReport) => Promise<void>,
    private readonly spontaneous: (r: SpontaneousRequest) => Promise<PspPaymentResult>,
    private readonly informativa: (idDominio?: string) => Promise<PspPaymentResult>,
  ) {}

  /** The hook's answer to a request whose action is old-psp-*; undefined for any other action. */
  handle(body: unknown): Json | undefined {
    if (typeof body !== 'object' || body === null || !isOldPspTriggerAction((body as { action?: unknown }).action)) return undefined;
    let req: TriggerRequest;
    try {
      req = validateTriggerRequest(body, 'psp');
    } catch (e) {
      return json(400, { error: e instanceof TriggerError ? e.message : String(e) });
    }
    const problem = this.problem(req);
    if (problem) return json(400, { error: problem });
    const entry: OldPspTriggerLog = { requestId: req.requestId, scenarioId: req.scenarioId, action: req.action as OldPspTriggerAction, receivedAt: this.now() };
    this.log.push(entry);
    if (this.log.length > 500) this.log.shift();
    const run = Promise.resolve()
      .then(() => this.act(entry.action, req))
      .then(
        async (r) => {
          entry.result = r;
          if (req.reportUrl) await this.report(req.reportUrl, { requestId: req.requestId, result: r.result, amountCents: r.amountCents, message: r.message });
        },
        async (e: unknown) => {
          entry.error = e instanceof Error ? e.message : String(e);
          if (req.reportUrl) await this.report(req.reportUrl, { requestId: req.requestId, result: 'failed', message: entry.error });
        },
      )
      .finally(() => (entry.done = true));
    this.track(run);
    return json(202, { accepted: req.requestId });
  }

  /** What makes a valid request impossible to serve, told before the 202 (the scenario learns it at once). */
  private problem(req: TriggerRequest): string | undefined {
    if (req.action === 'old-psp-revoca') {
      const p = (req.params ?? {}) as Record<string, unknown>;
      const k = { idDominio: String(p.idDominio ?? req.fiscalCode), iuv: String(p.iuv), ccp: String(p.ccp) };
      return this.payments.hasRt(k) ? undefined : `request.params: this PSP has no RT for identificativoDominio ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp} to revoke`;
    }
    if (req.action === 'old-psp-authorise') {
      const cart = this.payments.authorisationCart(authSelection(req));
      if (!cart) return 'request.params: this PSP holds no cart of payment model 2 (authorisation managed by the PSP) with that identificativoCarrello or IUV/CCP';
      return cart.state === 'waiting' ? undefined : `request.params: the cart ${cart.id} is already ${cart.state}`;
    }
    // a spontaneous payment has no notice yet, the informative queries none at all: the schema checked their params
    if (req.action === 'old-psp-spontaneous' || req.action === 'old-psp-informativa') return undefined;
    return iuvOfNotice(req.noticeNumber) ? undefined : `request.noticeNumber: ${req.noticeNumber} is not a notice number (aux digit 0-3 and its IUV)`;
  }

  private async act(action: OldPspTriggerAction, req: TriggerRequest): Promise<PspPaymentResult> {
    const notice = { fiscalCode: req.fiscalCode, noticeNumber: req.noticeNumber };
    const printedCents = req.amountCents ?? parseAmount(req.amount);
    const p = (req.params ?? {}) as Record<string, unknown>;
    switch (action) {
      case 'old-psp-pay':
        return this.payments.payAtPsp(notice, { verify: req.verify, printedCents });
      case 'old-psp-verify':
        return this.payments.payAtPsp(notice, { verifyOnly: true, printedCents });
      case 'old-psp-abandon':
        return this.payments.payAtPsp(notice, { verify: req.verify, authorise: false, printedCents });
      case 'old-psp-revoca': {
        const keys = { idDominio: String(p.idDominio ?? req.fiscalCode), iuv: String(p.iuv), ccp: String(p.ccp) };
        const r = await this.payments.revoca(keys, String(p.tipoRevoca ?? '1') as TipoRevoca);
        const message = r.problem ? `nodoInviaRichiestaRevoca: ${r.problem}` : `nodoInviaRichiestaRevoca ${r.esito}${r.faultCode ? ` ${r.faultCode}` : ''}`;
        return { result: 'not-paid', keys, message };
      }
      case 'old-psp-authorise': {
        const cart = this.payments.authorisationCart(authSelection(req));
        if (!cart) return { result: 'failed', message: 'no cart of payment model 2 with that identificativoCarrello or IUV/CCP' };
        return this.payments.authorise(cart.id, p.authorised !== false);
      }
      case 'old-psp-informativa':
        return this.informativa(p.idDominio === undefined ? undefined : String(p.idDominio));
      case 'old-psp-spontaneous':
        return this.spontaneous({ idServizio: String(p.idServizio), idDominio: String(p.idDominioErogatoreServizio ?? req.fiscalCode), datiSpecificiServizio: String(p.datiSpecificiServizio) });
    }
  }
}

/** old-psp-authorise: the cart by the PSP's identificativoCarrello, or by an RPT's keys. */
function authSelection(req: TriggerRequest): { idCarrello?: string; idDominio?: string; iuv?: string; ccp?: string } {
  const p = (req.params ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { idCarrello: str(p.idCarrello), idDominio: str(p.idDominio) ?? req.fiscalCode, iuv: str(p.iuv), ccp: str(p.ccp) };
}
