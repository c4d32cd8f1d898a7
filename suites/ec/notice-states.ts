// EC refuses the notice (NM-PSPPAY-ERR-01…05): the fault matrix is generated from the table of
// notice states and their PAA_PAGAMENTO_* codes, on verify and on activation.
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { NOTICE_STATE_FAULTS, type NoticeStateFault } from '../../domain/notice-state.js';
import { checkFaultBean, checkKo, checkSchema, faultBeanChecks, getPrimitive, lastExchange, roleOf, schemaChecks } from './lib.js';

function stateScenario(row: NoticeStateFault, phase: 'verify' | 'activate', n: number): ScenarioDef<EcContext> {
  const primitive = phase === 'verify' ? 'paVerifyPaymentNotice' : 'paGetPayment';
  const ifRule = phase === 'verify' ? 'IF-paVerifyPaymentNotice-F74' : 'IF-paGetPayment-F78';
  return {
    id: `EC-ERR-${String(n).padStart(2, '0')}`,
    title: `${phase === 'verify' ? 'Verify' : 'Activation'} of a notice in state "${row.state}" is refused with ${row.code}`,
    titleIt: `${phase === 'verify' ? 'Verifica' : 'Attivazione'} di un avviso ${row.it}: rifiutata con ${row.code}`,
    seat: 'ec',
    // generated from the same row as the case: the state's code under its flow and field rules, the answer's shape
    checks: [
      ...schemaChecks(roleOf(primitive), 'IF-X-07'),
      spec('state-fault', [`the EC answers ${row.code} for a notice in state "${row.state}"`, `l’EC risponde ${row.code} per un avviso ${row.it}`], [row.requirement, ifRule]),
      ...faultBeanChecks(roleOf(primitive)),
    ],
    // a refused verify or activation changes nothing: the notice is only read
    reads: { [row.state]: 1 },
    async run(t) {
      const n = await t.notice(row.state);
      const qr = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber };
      if (phase === 'verify') await t.psp.verify(qr);
      else await t.psp.activate(qr, n.amountCents ?? 1000);
      const prim = phase === 'activate' ? getPrimitive(t) : primitive;
      const a = lastExchange(t, prim, n.noticeNumber);
      checkSchema(t, a, prim);
      checkKo(t, a, { id: 'state-fault', accept: [row.code] });
      checkFaultBean(t, a, prim, n.fiscalCode);
    },
  };
}

export const noticeStateScenarios: ScenarioDef<EcContext>[] = NOTICE_STATE_FAULTS.flatMap((row, i) => [
  stateScenario(row, 'verify', i * 2 + 1),
  stateScenario(row, 'activate', i * 2 + 2),
]);
