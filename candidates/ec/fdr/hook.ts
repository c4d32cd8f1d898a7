// The reference EC's reconciliation surfaces: the trigger action fdr-reconcile (POST /collaudo/trigger,
// src/triggers/trigger.schema.json) starts a round and is answered 202 at once; GET
// /collaudo/reconciliation[?fiscalCode=] is the read-back: what the EC booked, line by line.
import { TriggerError, validateTriggerRequest } from '../../../src/triggers/index.js';
import type { FdrReconciler, FdrRound } from './reconciler.js';

export const READ_BACK_PATH = '/collaudo/reconciliation';

type Json = { status: number; type: string; body: string };
const json = (status: number, v: unknown): Json => ({ status, type: 'application/json', body: JSON.stringify(v) });

/** The hook's answer to an fdr-reconcile request; undefined for any other action. */
export function fdrTrigger(fdr: FdrReconciler, body: unknown): Json | undefined {
  if (typeof body !== 'object' || body === null || (body as { action?: unknown }).action !== 'fdr-reconcile') return undefined;
  let req;
  try {
    req = validateTriggerRequest(body, 'any');
  } catch (e) {
    return json(400, { error: e instanceof TriggerError ? e.message : String(e) });
  }
  const p = (req.params ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const round: FdrRound = {
    model: p.model === 'old' ? 'old' : 'new',
    fiscalCode: req.fiscalCode,
    soapUrl: str(p.soapUrl),
    restUrl: str(p.restUrl),
    password: str(p.password),
    flows: Array.isArray(p.flows) ? (p.flows as FdrRound['flows']) : undefined,
  };
  if (!round.soapUrl && !round.restUrl) return json(400, { error: 'request.params: fdr-reconcile needs soapUrl or restUrl' });
  fdr.start(round);
  return json(202, { accepted: req.requestId });
}

/** GET of the read-back; undefined for any other path. */
export function fdrGet(fdr: FdrReconciler, rawPath: string): Json | undefined {
  const [p, query = ''] = rawPath.split('?', 2);
  if (p !== READ_BACK_PATH) return undefined;
  const fc = new URLSearchParams(query).get('fiscalCode') ?? undefined;
  return json(200, fdr.readBack(fc));
}
