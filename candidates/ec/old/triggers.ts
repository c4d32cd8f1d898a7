// The old-model actions of the reference EC's trigger hook (POST /collaudo/trigger, contract
// src/triggers/trigger.schema.json, seat ec): a valid request is answered 202 at once and the EC acts
// afterwards; a request it cannot serve gets 400 naming why. The EC then shows on the wire what the
// scenario waits for (its calls to the Nodo).
import { TriggerError, validateTriggerRequest } from '../../../src/triggers/index.js';
import { type OldPayments, type PspIds, type StampRequest, WISP_IDS } from './payments.js';

export const OLD_TRIGGER_ACTIONS = ['old-cart', 'old-rpt', 'old-recover-rt', 'old-pending', 'old-informativa', 'old-storno'] as const;
export type OldTriggerAction = (typeof OLD_TRIGGER_ACTIONS)[number];
export const isOldTriggerAction = (a: unknown): a is OldTriggerAction => (OLD_TRIGGER_ACTIONS as readonly unknown[]).includes(a);

type Json = { status: number; type: string; body: string };
const json = (status: number, v: unknown): Json => ({ status, type: 'application/json', body: JSON.stringify(v) });

export interface OldTriggerLog {
  requestId: string;
  scenarioId: string;
  action: OldTriggerAction;
  receivedAt: number;
  done?: boolean;
  result?: Record<string, unknown>;
  error?: string;
}

type Params = Record<string, unknown>;
const psp = (p: Params): PspIds | undefined =>
  typeof p.identificativoPSP === 'string'
    ? { identificativoPSP: p.identificativoPSP, identificativoIntermediarioPSP: String(p.identificativoIntermediarioPSP ?? ''), identificativoCanale: String(p.identificativoCanale ?? '') }
    : undefined;

export class OldTriggers {
  readonly log: OldTriggerLog[] = [];
  constructor(
    private readonly payments: OldPayments,
    private readonly now: () => number,
    private readonly track: (p: Promise<unknown>) => void,
    /** the fiscal codes of the ECs the station serves (primary first) */
    private readonly servedEcs: () => string[] = () => [],
  ) {}

  /** The domains of `n` RPTs of a multi-beneficiary cart: `first`, then the station's other ECs in turn. */
  private otherEcsAfter(first: string, n: number): string[] {
    const others = this.servedEcs().filter((fc) => fc !== first);
    if (!others.length) throw new Error(`a multi-beneficiary cart needs another EC served by the station besides ${first}`);
    return Array.from({ length: Math.min(n, 5) }, (_, i) => (i === 0 ? first : others[(i - 1) % others.length]!));
  }

  /** The hook's answer to a request whose action is old-*; undefined for any other action. */
  handle(body: unknown): Json | undefined {
    if (typeof body !== 'object' || body === null || !isOldTriggerAction((body as { action?: unknown }).action)) return undefined;
    let req;
    try {
      req = validateTriggerRequest(body, 'any');
    } catch (e) {
      return json(400, { error: e instanceof TriggerError ? e.message : String(e) });
    }
    if (req.seat !== 'ec') return json(400, { error: `request.seat: the action ${req.action} is an action of seat ec` });
    const params = (req.params ?? {}) as Params;
    const entry: OldTriggerLog = { requestId: req.requestId, scenarioId: req.scenarioId, action: req.action as OldTriggerAction, receivedAt: this.now() };
    this.log.push(entry);
    if (this.log.length > 500) this.log.shift();
    const run = Promise.resolve()
      .then(() => this.act(entry.action, req.fiscalCode, params))
      .then((r) => void (entry.result = r), (e: unknown) => void (entry.error = e instanceof Error ? e.message : String(e)))
      .finally(() => (entry.done = true));
    this.track(run);
    return json(202, { accepted: req.requestId });
  }

  private async act(action: OldTriggerAction, fiscalCode: string, p: Params): Promise<Record<string, unknown>> {
    const pay = this.payments;
    switch (action) {
      case 'old-cart': {
        const multiBeneficiary = p.multiBeneficiary === true;
        const domains = Array.isArray(p.domains) ? p.domains.map(String) : multiBeneficiary ? this.otherEcsAfter(fiscalCode, Math.max(2, (p.amountsCents as unknown[] | undefined)?.length ?? 0)) : undefined;
        const transfers = typeof p.transfers === 'number' ? p.transfers : undefined;
        const positions = pay.positionsFor({ notices: p.notices as never, amountsCents: p.amountsCents as number[] | undefined, domains, transfers, stamp: p.stamp as StampRequest | undefined });
        const r = await pay.cart(positions, psp(p) ?? WISP_IDS, { multiBeneficiary, ibanAddebito: typeof p.ibanAddebito === 'string' ? p.ibanAddebito : undefined });
        return { ...r, iuvs: positions.map((x) => x.iuv) };
      }
      case 'old-rpt': {
        const [position] = pay.positionsFor({ notices: p.notice ? [p.notice as never] : undefined, amountsCents: typeof p.amountCents === 'number' ? [p.amountCents] : undefined });
        const r = await pay.single(position!, psp(p) ?? WISP_IDS);
        return { iuv: r.attempt.iuv, ccp: r.attempt.ccp, esito: r.attempt.rptEsito, problem: r.attempt.rptFault };
      }
      case 'old-recover-rt':
        return pay.recoverRt(String(p.idDominio ?? fiscalCode), String(p.iuv), String(p.ccp));
      case 'old-pending': {
        const r = await pay.pending(typeof p.dimensioneLista === 'number' ? p.dimensioneLista : undefined, typeof p.idDominio === 'string' ? p.idDominio : undefined);
        return { usable: r.usable, problem: r.problem };
      }
      case 'old-informativa': {
        const r = await pay.informativa(typeof p.identificativoPSP === 'string' ? p.identificativoPSP : undefined, typeof p.idDominio === 'string' ? p.idDominio : undefined);
        return { usable: r.usable, problem: r.problem };
      }
      case 'old-storno':
        return pay.storno(String(p.idDominio ?? fiscalCode), String(p.iuv), String(p.ccp));
    }
  }
}
