// Asking the candidate EC to act, for either payment model: the trigger request journaled as evidence
// (from the harness to the EC's trigger), fired over the transport the profile names, and its
// acceptance (or why it could not be asked: the scenario is INCONCLUSIVE, never FAIL).
import type { BaseContext } from '../../src/core/scenario.js';
import type { Correlation } from '../../src/core/journal.js';
import { TriggerError, type EcTriggerRequest } from '../../src/triggers/index.js';
import type { EcTrigger } from '../../seats/ec.js';

/** Fires `request`; returns the journal length before it, so the caller waits for what follows. */
export async function fireEcTrigger(t: BaseContext, tr: EcTrigger, request: EcTriggerRequest, correlation: Correlation): Promise<number> {
  const mark = t.journal.entries.length;
  const exchange = t.journal.newExchange();
  const entry = { exchange, from: 'harness', to: 'ec-trigger', url: tr.transport.target, primitive: `trigger:${request.action}`, correlation };
  t.journal.record({ ...entry, direction: 'request', raw: JSON.stringify(request) });
  try {
    await tr.transport.fire(request);
    t.journal.record({ ...entry, from: 'ec-trigger', to: 'harness', direction: 'response', raw: '', httpStatus: tr.transport.kind === 'http' ? 202 : undefined, note: 'accepted' });
  } catch (e) {
    t.journal.record({ ...entry, from: 'ec-trigger', to: 'harness', direction: 'response', raw: '', transport: 'error', note: (e as Error).message });
    if (e instanceof TriggerError) {
      const where = `${tr.transport.kind} trigger → ${tr.transport.target}`;
      // the trigger's error is technical output: quoted in the Italian
      return t.inconclusive([
        `the candidate could not be asked to act (${tr.transport.kind} trigger to ${tr.transport.target}, deadline ${tr.deadlineMs} ms): ${e.message}`,
        `non è stato possibile chiedere all’EC in collaudo di agire (${where}, scadenza ${tr.deadlineMs} ms): "${e.message}"`,
      ]);
    }
    throw e;
  }
  return mark;
}
