// Content rules of the EC's answers that the schema does not express, and answer times against the
// Nodo's timeouts (catalogue §3 semantic rules, NM-MB-VAL-01, NM-X-NAV-01, NM-SLA-TO-02).
import type { ScenarioDef } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { isFiscalCodePA, isValidIban, parseAmount, parseNotice } from '../../src/domain.js';
import { child, childrenNamed, textOf } from '../../src/protocol/xml.js';
import { checkOk, checkSchema, exchanges, getPaymentAtEc, transfersOf, verifyAtEc, type Answer } from './lib.js';

type S = ScenarioDef<EcContext>;

/** The EC service level (98 % within 2 s) — a single answer beyond it is a WARNING (NM-SLA-TO-02, IF-X-13). */
export const SERVICE_LEVEL_MS = 2000;

export const contentScenarios: S[] = [
  {
    id: 'EC-VAL-01',
    title: 'paVerifyPaymentNotice answer content: one option, allCCP, identities echoed, mandatory fields on OK',
    titleIt: 'Contenuto della risposta a paVerifyPaymentNotice: un’opzione, allCCP, identità riportate, campi obbligatori con OK',
    seat: 'ec',
    // F41–F45: the answer's fields, validated by the schema check and the content checks
    requirements: ['IF-paVerifyPaymentNotice-F70', 'IF-paVerifyPaymentNotice-F71', 'IF-paVerifyPaymentNotice-F41', 'IF-paVerifyPaymentNotice-F42', 'IF-paVerifyPaymentNotice-F43', 'IF-paVerifyPaymentNotice-F44', 'IF-paVerifyPaymentNotice-F45', 'IF-paVerifyPaymentNotice-F73', 'NM-OPT-VAL-01', 'IF-X-19', 'NM-PSPPAY-PAY-07'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const a = await verifyAtEc(t, n);
      checkSchema(t, a, 'paVerifyPaymentNotice', 'IF-paVerifyPaymentNotice-F40');
      if (!checkOk(t, a, { id: 'verify-ok', title: 'verify of a payable notice answers OK', requirement: 'IF-paVerifyPaymentNotice-F70' })) return;
      const body = a.body!;
      const missing = ['paymentList', 'paymentDescription', 'fiscalCodePA', 'companyName'].filter((f) => !child(body, f));
      t.check({
        id: 'mandatory-on-ok',
        title: 'on OK, paymentList, paymentDescription, fiscalCodePA and companyName are present',
        requirement: 'IF-paVerifyPaymentNotice-F70',
        level: 'MUST',
        held: missing.length === 0,
        message: missing.length ? `missing: ${missing.join(', ')}` : 'all present',
        entries: [a.response],
      });
      const options = childrenNamed(child(body, 'paymentList'), 'paymentOptionDescription');
      t.check({
        id: 'one-option',
        title: 'exactly one payment option, with allCCP stated',
        requirement: 'NM-OPT-VAL-01',
        level: 'MUST',
        held: options.length === 1 && ['true', 'false', '1', '0'].includes(textOf(options[0], 'allCCP') ?? ''),
        message: `${options.length} option(s), allCCP=${textOf(options[0], 'allCCP')}`,
        entries: [a.response],
      });
      t.check({
        id: 'fiscalcode-echo',
        title: 'fiscalCodePA is the fiscal code of the notice’s EC',
        requirement: 'IF-paVerifyPaymentNotice-F43',
        level: 'MUST',
        held: textOf(body, 'fiscalCodePA') === n.fiscalCode,
        message: `fiscalCodePA ${textOf(body, 'fiscalCodePA')}, notice EC ${n.fiscalCode}`,
        entries: [a.response],
      });
      const verified = parseAmount(textOf(options[0], 'amount'));
      const g = await getPaymentAtEc(t, n);
      const paid = parseAmount(textOf(child(g.body, 'data'), 'paymentAmount'));
      t.check({
        id: 'current-amount',
        title: 'the amount verified is the amount the activation returns (the current amount)',
        requirement: 'NM-PSPPAY-PAY-07',
        level: 'MUST',
        held: verified !== undefined && verified === paid,
        message: `verify ${verified} cents, paGetPayment ${paid} cents`,
        entries: [a.response, g.response],
      });
    },
  },
  {
    id: 'EC-VAL-02',
    title: 'paGetPayment answer content: amount = Σ transfers, ≤ 5 transfers, idTransfer, IBANs, fiscal codes, IUV',
    titleIt: 'Contenuto della risposta a paGetPayment: importo = Σ trasferimenti, ≤ 5 trasferimenti, idTransfer, IBAN, codici fiscali, IUV',
    seat: 'ec',
    requirements: ['IF-paGetPayment-F70', 'IF-paGetPayment-F71', 'IF-paGetPayment-F72', 'IF-paGetPayment-F76', 'NM-MB-VAL-01', 'NM-X-NAV-01', 'NM-MB-PAY-02'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const a = await getPaymentAtEc(t, n);
      const prim = t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment';
      checkSchema(t, a, prim, 'IF-paGetPayment-F41');
      if (!checkOk(t, a, { id: 'getpayment-ok', title: 'paGetPayment of a payable notice answers OK', requirement: 'IF-paGetPayment-F70' })) return;
      const data = child(a.body, 'data');
      const transfers = transfersOf(data);
      const total = parseAmount(textOf(data, 'paymentAmount'));
      const sum = transfers.reduce((s, x) => s + (parseAmount(textOf(x, 'transferAmount')) ?? NaN), 0);
      const entries = [a.response];
      t.check({ id: 'sum', title: 'paymentAmount = Σ transferAmount', requirement: 'IF-paGetPayment-F70', level: 'MUST', held: total !== undefined && total === sum, message: `paymentAmount ${total} cents, Σ transfers ${sum} cents`, entries });
      t.check({ id: 'count', title: 'between 1 and 5 transfers', requirement: 'NM-MB-VAL-01', level: 'MUST', held: transfers.length >= 1 && transfers.length <= 5, message: `${transfers.length} transfer(s)`, entries });
      const ids = transfers.map((x) => Number(textOf(x, 'idTransfer')));
      t.check({ id: 'idtransfer-unique', title: 'idTransfer values are unique', requirement: 'IF-paGetPayment-F71', level: 'MUST', held: new Set(ids).size === ids.length, message: `idTransfer ${ids.join(', ')}`, entries });
      t.check({ id: 'idtransfer-consecutive', title: 'idTransfer runs 1..n in list order', requirement: 'IF-paGetPayment-F71', level: 'SHOULD', held: ids.every((v, i) => v === i + 1), message: `idTransfer ${ids.join(', ')}`, entries });
      t.check({
        id: 'transfer1-primary',
        title: 'transfer 1 credits the notice’s own EC',
        requirement: 'IF-paGetPayment-F72',
        level: 'SHOULD',
        held: textOf(transfers[0], 'fiscalCodePA') === n.fiscalCode,
        message: `transfer 1 fiscalCodePA ${textOf(transfers[0], 'fiscalCodePA')}, notice EC ${n.fiscalCode}`,
        entries,
      });
      const badFc = transfers.map((x) => textOf(x, 'fiscalCodePA')).filter((f) => !isFiscalCodePA(f));
      t.check({ id: 'fiscal-codes', title: 'every transfer’s fiscalCodePA is an 11-digit EC fiscal code', requirement: 'NM-MB-VAL-01', level: 'MUST', held: badFc.length === 0, message: badFc.length ? `invalid: ${badFc.join(', ')}` : 'all valid', entries });
      const ibans = transfers.map((x) => textOf(x, 'IBAN')).filter((i): i is string => i !== undefined);
      const badIban = ibans.filter((i) => !isValidIban(i));
      t.check({
        id: 'ibans-valid',
        title: 'every IBAN is a valid ISO 13616 IBAN (the Nodo refuses others: PPT_IBAN_NON_CENSITO)',
        requirement: 'IF-paGetPayment-F72',
        level: 'MUST',
        held: badIban.length === 0,
        message: badIban.length ? `invalid IBAN(s): ${badIban.join(', ')}` : `${ibans.length} valid IBAN(s)`,
        entries,
      });
      const registered = t.profile.ec.ibans ?? [];
      if (registered.length) {
        const own = transfers.filter((x) => textOf(x, 'fiscalCodePA') === n.fiscalCode).map((x) => textOf(x, 'IBAN')).filter((i): i is string => !!i);
        const unregistered = own.filter((i) => !registered.includes(i));
        t.check({
          id: 'ibans-registered',
          title: 'the EC’s own transfers use IBANs registered for it (profile ec.ibans)',
          requirement: 'IF-paGetPayment-F72',
          level: 'MUST',
          held: unregistered.length === 0,
          message: unregistered.length ? `not registered: ${unregistered.join(', ')}` : 'all registered',
          entries,
        });
      }
      const categories = transfers.map((x) => textOf(x, 'transferCategory') ?? '');
      t.check({
        id: 'taxonomy',
        title: 'transferCategory looks like a taxonomy code of the collection services (e.g. 0101101IM)',
        requirement: 'IF-paGetPayment-F76',
        level: 'SHOULD',
        held: categories.every((c) => /^\d{7}[A-Z]{2}$/.test(c) || /^9\/\d{7}[A-Z]{2}\/$/.test(c)),
        message: categories.join(', '),
        entries,
      });
      const iuv = parseNotice(n.noticeNumber)?.iuv;
      t.check({
        id: 'iuv',
        title: 'creditorReferenceId is the IUV contained in the notice number',
        requirement: 'NM-X-NAV-01',
        level: 'MUST',
        held: !iuv || textOf(data, 'creditorReferenceId') === iuv,
        message: `creditorReferenceId ${textOf(data, 'creditorReferenceId')}, IUV from the notice ${iuv}`,
        entries,
      });
    },
  },
  {
    id: 'EC-SLA-01',
    title: 'Answer times of paVerifyPaymentNotice, paGetPayment and paSendRT against the Nodo timeouts',
    titleIt: 'Tempi di risposta di paVerifyPaymentNotice, paGetPayment e paSendRT rispetto ai timeout del Nodo',
    seat: 'ec',
    requirements: ['NM-SLA-TO-02', 'IF-X-13', 'NM-PSPPAY-ERR-08', 'NM-X-STA-01', 'IF-paGetPayment-F79'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { amountCents: n.amountCents ?? 1000 });
      if (r.paymentToken) await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode).catch(() => undefined);
      const prims = [
        ['paVerifyPaymentNotice', t.timeouts.paVerifyPaymentNotice],
        [t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment', t.timeouts.paGetPayment],
        [t.station.version === 2 ? 'paSendRTV2' : 'paSendRT', t.timeouts.paSendRT],
      ] as const;
      for (const [prim, timeout] of prims) {
        const a: Answer | undefined = exchanges(t, prim, n.noticeNumber)[0];
        const ms = a?.response?.latencyMs;
        if (!a?.response || ms === undefined) {
          t.check({ id: `${prim}-time`, title: `${prim} answered`, requirement: 'NM-SLA-TO-02', level: 'MUST', held: false, verdict: 'INCONCLUSIVE', message: `no ${prim} exchange to measure` });
          continue;
        }
        const late = a.response.transport === 'timeout' || ms > timeout;
        t.check({
          id: `${prim}-timeout`,
          title: `${prim} is answered within the Nodo timeout (${timeout} ms)`,
          requirement: prim.startsWith('paGetPayment') ? 'IF-paGetPayment-F79' : 'NM-SLA-TO-02',
          level: 'MUST',
          held: !late,
          message: late ? `no answer within ${timeout} ms (${a.response.note ?? a.response.transport ?? `${ms} ms`})` : `${ms} ms`,
          entries: [a.request, a.response],
        });
        if (!late) {
          t.check({
            id: `${prim}-service-level`,
            title: `${prim} is answered within the 2 s service level (98 % monthly; one sample here)`,
            requirement: 'NM-SLA-TO-02',
            level: 'SHOULD',
            held: ms <= SERVICE_LEVEL_MS,
            message: `${ms} ms`,
            entries: [a.request, a.response],
          });
        }
      }
    },
  },
];
