// A request the harness sends as VALID is validated against our XSD before it leaves. When the data at
// hand (often taken from the candidate's answers) cannot make a valid one, nothing is sent and the
// scenario ends INCONCLUSIVE with the reason: the candidate is never judged on a request the harness
// got wrong.
import { ScenarioStop } from '../core/scenario.js';
import type { Operation } from './contract.js';
import { decodeEnvelope } from './soap.js';

/** No valid request could be built: the scenario is INCONCLUSIVE (a ScenarioStop, so the runner ends it so). */
export class InvalidRequest extends ScenarioStop {
  constructor(
    readonly primitive: string,
    readonly errors: string[],
  ) {
    // the validator's diagnostics are quoted in the Italian (its technical output)
    super('INCONCLUSIVE', [
      `the harness could not build a valid ${primitive} from the data at hand, so it sent nothing: ${errors.slice(0, 3).join('; ')}`,
      `il collaudo non ha potuto costruire un ${primitive} valido dai dati disponibili, quindi non ha inviato nulla: ${errors
        .slice(0, 3)
        .map((e) => `"${e}"`)
        .join('; ')}`,
    ]);
  }
}

/** Throws InvalidRequest unless `envelope` is a schema-valid `op` request. */
export function assertValidRequest(op: Operation, envelope: string): void {
  const d = decodeEnvelope(envelope, { ops: [op] });
  if (!d.ok) throw new InvalidRequest(op.name, [d.message]);
  if (d.msg.body.name !== op.request) throw new InvalidRequest(op.name, [`body element is ${d.msg.body.name}, expected ${op.request}`]);
  if (!d.msg.xsd.valid) throw new InvalidRequest(op.name, d.msg.xsd.errors);
}
