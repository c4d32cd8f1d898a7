// EC refuses the notice (NM-PSPPAY-ERR-01…05): the fault matrix is generated from the table of
// notice states and their PAA_PAGAMENTO_* codes, on verify and on activation.
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import type { NoticeState } from '../../domain/common.js';
import { checkFaultBean, checkKo, checkSchema, faultBeanChecks, getPrimitive, lastExchange, roleOf, schemaChecks } from './lib.js';

interface Row {
  state: NoticeState;
  code: string;
  requirement: string;
  it: string;
}

/** catalogue §3.1 "Common frame for NM-PSPPAY-ERR-01…05"; IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78 */
export const NOTICE_STATE_FAULTS: Row[] = [
  { state: 'unknown', code: 'PAA_PAGAMENTO_SCONOSCIUTO', requirement: 'NM-PSPPAY-ERR-01', it: 'sconosciuto' },
  { state: 'paid', code: 'PAA_PAGAMENTO_DUPLICATO', requirement: 'NM-PSPPAY-ERR-02', it: 'già pagato' },
  { state: 'expired', code: 'PAA_PAGAMENTO_SCADUTO', requirement: 'NM-PSPPAY-ERR-03', it: 'scaduto' },
  { state: 'cancelled', code: 'PAA_PAGAMENTO_ANNULLATO', requirement: 'NM-PSPPAY-ERR-04', it: 'annullato' },
  { state: 'in-progress', code: 'PAA_PAGAMENTO_IN_CORSO', requirement: 'NM-PSPPAY-ERR-05', it: 'in corso' },
];

function stateScenario(row: Row, phase: 'verify' | 'activate', n: number): ScenarioDef<EcContext> {
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
      spec('state-fault', `the EC answers ${row.code} for a notice in state "${row.state}"`, [row.requirement, ifRule]),
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
