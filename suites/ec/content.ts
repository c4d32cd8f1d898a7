// Content rules of the EC's answers that the schema does not express, and answer times against the
// Nodo's timeouts (catalogue §3 semantic rules, NM-MB-VAL-01, NM-X-NAV-01, NM-SLA-TO-02).
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { isFiscalCodePA, isValidIban, parseAmount, parseNotice } from '../../domain/common.js';
import { EC_SERVICE_LEVEL_MS } from '../../domain/service-levels.js';
import { child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { ROLE_IT, checkOk, checkSchema, exchanges, getPaymentAtEc, getPrimitive, rtPrimitive, schemaChecks, transfersOf, verifiedAmount, verifyAtEc, type Answer, type PaPrimitive, type Role } from './lib.js';
import type { Bi } from '../../src/core/text.js';
import { answerSaid, detailIt, transportSaid } from '../../src/wire/answer.js';

type S = ScenarioDef<EcContext>;


/** The answer's field rows the XSD expresses (IF-paVerifyPaymentNotice-F40…F45): judged by the schema check. */
export const VERIFY_FIELDS = ['IF-paVerifyPaymentNotice-F40', 'IF-paVerifyPaymentNotice-F41', 'IF-paVerifyPaymentNotice-F42', 'IF-paVerifyPaymentNotice-F43', 'IF-paVerifyPaymentNotice-F44', 'IF-paVerifyPaymentNotice-F45'];
const SLA_ROLES: Role[] = ['verify', 'getpayment', 'receipt'];
/** verify and activation: a late answer is the station timeout of NM-PSPPAY-ERR-08; every primitive: NM-X-STA-01 */
const slaRequirements = (r: Role) => ['NM-SLA-TO-02', 'NM-X-STA-01', ...(r === 'receipt' ? [] : ['NM-PSPPAY-ERR-08'])];

export const contentScenarios: S[] = [
  {
    id: 'EC-VAL-01',
    title: 'paVerifyPaymentNotice answer content: one option, allCCP, identities echoed, mandatory fields on OK; the current amount',
    titleIt: 'Contenuto della risposta a paVerifyPaymentNotice: un’opzione, allCCP, identità riportate, campi obbligatori con OK; l’importo aggiornato',
    seat: 'ec',
    checks: [
      ...schemaChecks('verify', VERIFY_FIELDS),
      spec('verify-ok', ['verify of a payable notice answers OK', 'la verifica di un avviso pagabile risponde OK'], 'IF-paVerifyPaymentNotice-F70'),
      spec('mandatory-on-ok', ['on OK, paymentList, paymentDescription, fiscalCodePA and companyName are present', 'con OK sono presenti paymentList, paymentDescription, fiscalCodePA e companyName'], 'IF-paVerifyPaymentNotice-F70'),
      // one notice = one option = one amount: the default single total option (NM-OPT-PAY-01)
      spec('one-option', ['exactly one payment option, with allCCP stated', 'esattamente un’opzione di pagamento, con allCCP indicato'], ['NM-OPT-VAL-01', 'IF-paVerifyPaymentNotice-F71', 'NM-OPT-PAY-01']),
      spec('fiscalcode-echo', ['fiscalCodePA is the fiscal code of the notice’s EC', 'fiscalCodePA è il codice fiscale dell’EC dell’avviso'], 'IF-paVerifyPaymentNotice-F43'),
      spec(
        'current-amount',
        [
          'for a notice whose amount changed since it was printed, verify and activation return the current amount, not the printed one',
          'per un avviso il cui importo è cambiato dopo la stampa, verifica e attivazione restituiscono l’importo aggiornato, non quello stampato',
        ],
        ['NM-PSPPAY-PAY-07', 'IF-paVerifyPaymentNotice-F73'],
      ),
    ],
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const a = await verifyAtEc(t, n);
      checkSchema(t, a, 'paVerifyPaymentNotice');
      if (checkOk(t, a, { id: 'verify-ok' })) {
        const body = a.body!;
        const missing = ['paymentList', 'paymentDescription', 'fiscalCodePA', 'companyName'].filter((f) => !child(body, f));
        t.check({ id: 'mandatory-on-ok', held: missing.length === 0, message: missing.length ? [`missing: ${missing.join(', ')}`, `mancanti: ${missing.join(', ')}`] : ['all present', 'tutti presenti'], entries: [a.response] });
        const options = childrenNamed(child(body, 'paymentList'), 'paymentOptionDescription');
        t.check({
          id: 'one-option',
          held: options.length === 1 && ['true', 'false', '1', '0'].includes(textOf(options[0], 'allCCP') ?? ''),
          message: [`${options.length} option(s), allCCP=${textOf(options[0], 'allCCP')}`, `${options.length} opzione/i, allCCP=${textOf(options[0], 'allCCP')}`],
          entries: [a.response],
        });
        t.check({
          id: 'fiscalcode-echo',
          held: textOf(body, 'fiscalCodePA') === n.fiscalCode,
          message: [`fiscalCodePA ${textOf(body, 'fiscalCodePA')}, notice EC ${n.fiscalCode}`, `fiscalCodePA ${textOf(body, 'fiscalCodePA')}, EC dell’avviso ${n.fiscalCode}`],
          entries: [a.response],
        });
      } else for (const id of ['mandatory-on-ok', 'one-option', 'fiscalcode-echo']) t.notExercised(id, ['the verify was not answered OK', 'la verifica non ha avuto risposta OK'], [a.response]);
      // NM-PSPPAY-PAY-07 needs a notice whose amount changed after printing: only the profile can name one
      const u = await t.updatedAmountNotice();
      if (!u)
        return t.notExercised('current-amount', [
          'the profile declares no notice whose amount changed since it was printed (with its printed amount): the current amount cannot be told from a stale one',
          'il profilo non dichiara alcun avviso il cui importo sia cambiato dopo la stampa (con l’importo stampato): l’importo aggiornato non si distingue da uno superato',
        ]);
      const v = await verifyAtEc(t, u, 'a notice whose amount changed since printing');
      const g = await getPaymentAtEc(t, u);
      const verified = parseAmount(verifiedAmount(v));
      const activated = parseAmount(textOf(child(g.body, 'data'), 'paymentAmount'));
      const current = u.amountCents;
      t.check({
        id: 'current-amount',
        held: verified !== undefined && verified === current && activated === current,
        message: [
          `verify ${verified ?? describeNo(v)[0]} cents, ${getPrimitive(t)} ${activated ?? describeNo(g)[0]} cents; current amount ${current} cents, printed ${u.printedCents} cents`,
          `verifica ${verified ?? describeNo(v)[1]} centesimi, ${getPrimitive(t)} ${activated ?? describeNo(g)[1]} centesimi; importo aggiornato ${current} centesimi, stampato ${u.printedCents} centesimi`,
        ],
        entries: [v.request, v.response, g.request, g.response],
      });
    },
  },
  {
    id: 'EC-VAL-02',
    title: 'paGetPayment answer content: amount = Σ transfers, ≤ 5 transfers, idTransfer, IBANs, fiscal codes, IUV',
    titleIt: 'Contenuto della risposta a paGetPayment: importo = Σ trasferimenti, ≤ 5 trasferimenti, idTransfer, IBAN, codici fiscali, IUV',
    seat: 'ec',
    checks: [
      ...schemaChecks('getpayment', ['IF-paGetPayment-F40', 'IF-paGetPayment-F41', 'IF-paGetPaymentV2-F60']),
      spec('getpayment-ok', ['paGetPayment of a payable notice answers OK', 'paGetPayment di un avviso pagabile risponde OK'], 'IF-paGetPayment-F70'),
      // an EC answering with several transfers must sum them right (NM-MB-PAY-02)
      spec('sum', ['paymentAmount = Σ transferAmount', 'paymentAmount = Σ transferAmount'], ['IF-paGetPayment-F70', 'NM-MB-PAY-02']),
      spec('count', ['between 1 and 5 transfers', 'da 1 a 5 trasferimenti'], 'NM-MB-VAL-01'),
      spec('idtransfer-unique', ['idTransfer values are unique', 'i valori di idTransfer sono univoci'], 'IF-paGetPayment-F71'),
      spec('idtransfer-consecutive', ['idTransfer runs 1..n in list order', 'idTransfer va da 1 a n nell’ordine della lista'], 'IF-paGetPayment-F71', 'SHOULD'),
      spec('transfer1-primary', ['transfer 1 credits the notice’s own EC', 'il trasferimento 1 accredita l’EC dell’avviso'], 'IF-paGetPayment-F72', 'SHOULD'),
      spec('fiscal-codes', ['every transfer’s fiscalCodePA is an 11-digit EC fiscal code', 'il fiscalCodePA di ogni trasferimento è un codice fiscale di EC di 11 cifre'], 'NM-MB-VAL-01'),
      spec('ibans-valid', ['every IBAN is a valid ISO 13616 IBAN (the Nodo refuses others: PPT_IBAN_NON_CENSITO)', 'ogni IBAN è un IBAN ISO 13616 valido (il Nodo rifiuta gli altri: PPT_IBAN_NON_CENSITO)'], 'IF-paGetPayment-F72'),
      spec('ibans-registered', ['the EC’s own transfers use IBANs registered for it (profile ec.ibans)', 'i trasferimenti dell’EC stesso usano IBAN censiti per esso (profilo ec.ibans)'], 'IF-paGetPayment-F72'),
      spec(
        'taxonomy',
        ['transferCategory looks like a taxonomy code of the collection services (e.g. 0101101IM)', 'transferCategory ha la forma di un codice della tassonomia dei servizi di incasso (ad es. 0101101IM)'],
        'IF-paGetPayment-F76',
        'SHOULD',
      ),
      spec('iuv', ['creditorReferenceId is the IUV contained in the notice number', 'creditorReferenceId è lo IUV contenuto nel numero avviso'], 'NM-X-NAV-01'),
    ],
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const a = await getPaymentAtEc(t, n);
      checkSchema(t, a, getPrimitive(t));
      if (!checkOk(t, a, { id: 'getpayment-ok' })) return;
      const data = child(a.body, 'data');
      const transfers = transfersOf(data);
      const total = parseAmount(textOf(data, 'paymentAmount'));
      const sum = transfers.reduce((s, x) => s + (parseAmount(textOf(x, 'transferAmount')) ?? NaN), 0);
      const entries = [a.response];
      t.check({ id: 'sum', held: total !== undefined && total === sum, message: [`paymentAmount ${total} cents, Σ transfers ${sum} cents`, `paymentAmount ${total} centesimi, Σ trasferimenti ${sum} centesimi`], entries });
      t.check({ id: 'count', held: transfers.length >= 1 && transfers.length <= 5, message: [`${transfers.length} transfer(s)`, `${transfers.length} trasferimento/i`], entries });
      const ids = transfers.map((x) => Number(textOf(x, 'idTransfer')));
      const idList: Bi = [`idTransfer ${ids.join(', ')}`, `idTransfer ${ids.join(', ')}`];
      t.check({ id: 'idtransfer-unique', held: new Set(ids).size === ids.length, message: idList, entries });
      t.check({ id: 'idtransfer-consecutive', held: ids.every((v, i) => v === i + 1), message: idList, entries });
      const fc1 = textOf(transfers[0], 'fiscalCodePA');
      t.check({ id: 'transfer1-primary', held: fc1 === n.fiscalCode, message: [`transfer 1 fiscalCodePA ${fc1}, notice EC ${n.fiscalCode}`, `trasferimento 1 fiscalCodePA ${fc1}, EC dell’avviso ${n.fiscalCode}`], entries });
      const badFc = transfers.map((x) => textOf(x, 'fiscalCodePA')).filter((f) => !isFiscalCodePA(f));
      t.check({ id: 'fiscal-codes', held: badFc.length === 0, message: badFc.length ? [`invalid: ${badFc.join(', ')}`, `non validi: ${badFc.join(', ')}`] : ['all valid', 'tutti validi'], entries });
      const ibans = transfers.map((x) => textOf(x, 'IBAN')).filter((i): i is string => i !== undefined);
      const badIban = ibans.filter((i) => !isValidIban(i));
      t.check({
        id: 'ibans-valid',
        held: badIban.length === 0,
        message: badIban.length ? [`invalid IBAN(s): ${badIban.join(', ')}`, `IBAN non validi: ${badIban.join(', ')}`] : [`${ibans.length} valid IBAN(s)`, `${ibans.length} IBAN validi`],
        entries,
      });
      const registered = t.profile.ec.ibans ?? [];
      const own = transfers.filter((x) => textOf(x, 'fiscalCodePA') === n.fiscalCode).map((x) => textOf(x, 'IBAN')).filter((i): i is string => !!i);
      if (!registered.length)
        t.notExercised('ibans-registered', ['the profile lists no ec.ibans: the IBANs registered for the EC are unknown to the harness', 'il profilo non elenca ec.ibans: gli IBAN censiti per l’EC sono ignoti al collaudo'], entries);
      else if (!own.length) t.notExercised('ibans-registered', ['no transfer of the EC’s own carries an IBAN', 'nessun trasferimento dell’EC stesso riporta un IBAN'], entries);
      else {
        const unregistered = own.filter((i) => !registered.includes(i));
        t.check({
          id: 'ibans-registered',
          held: unregistered.length === 0,
          message: unregistered.length ? [`not registered: ${unregistered.join(', ')}`, `non censiti: ${unregistered.join(', ')}`] : [`${own.length} IBAN(s), all registered`, `${own.length} IBAN, tutti censiti`],
          entries,
        });
      }
      const categories = transfers.map((x) => textOf(x, 'transferCategory') ?? '');
      const cats = categories.join(', ');
      t.check({ id: 'taxonomy', held: categories.every((c) => /^\d{7}[A-Z]{2}$/.test(c) || /^9\/\d{7}[A-Z]{2}\/$/.test(c)), message: [cats, cats], entries });
      const iuv = parseNotice(n.noticeNumber)?.iuv;
      if (!iuv) return t.notExercised('iuv', [`the IUV cannot be read from notice number ${n.noticeNumber}`, `lo IUV non si ricava dal numero avviso ${n.noticeNumber}`], entries);
      const cri = textOf(data, 'creditorReferenceId');
      t.check({ id: 'iuv', held: cri === iuv, message: [`creditorReferenceId ${cri}, IUV from the notice ${iuv}`, `creditorReferenceId ${cri}, IUV dall’avviso ${iuv}`], entries });
    },
  },
  {
    id: 'EC-SLA-01',
    title: 'Answer times of paVerifyPaymentNotice, paGetPayment and paSendRT against the Nodo timeouts',
    titleIt: 'Tempi di risposta di paVerifyPaymentNotice, paGetPayment e paSendRT rispetto ai timeout del Nodo',
    seat: 'ec',
    checks: SLA_ROLES.flatMap((r) => [
      spec(`${r}-timeout`, [`the ${r} answer comes within the Nodo timeout: the EC causes no PPT_STAZIONE_INT_PA_TIMEOUT`, `la risposta ${ROLE_IT[r]} arriva entro il timeout del Nodo: l’EC non causa PPT_STAZIONE_INT_PA_TIMEOUT`], slaRequirements(r)),
      spec(`${r}-service-level`, [`the ${r} answer comes within the 2 s service level (98 % monthly; one sample here)`, `la risposta ${ROLE_IT[r]} arriva entro il livello di servizio di 2 s (98 % mensile; qui un solo campione)`], 'NM-SLA-TO-02', 'SHOULD'),
    ]),
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { amountCents: n.amountCents ?? 1000 });
      if (r.paymentToken) await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode).catch(() => undefined);
      const prims: [Role, PaPrimitive, number][] = [
        ['verify', 'paVerifyPaymentNotice', t.timeouts.paVerifyPaymentNotice],
        ['getpayment', getPrimitive(t), t.timeouts.paGetPayment],
        ['receipt', rtPrimitive(t), t.timeouts.paSendRT],
      ];
      for (const [role, prim, timeout] of prims) {
        const a: Answer | undefined = exchanges(t, prim, n.noticeNumber)[0];
        const ms = a?.response?.latencyMs;
        if (!a?.response || ms === undefined) {
          t.notExercised(`${role}-timeout`, [`no ${prim} exchange to measure (the flow stopped earlier)`, `nessuno scambio ${prim} da misurare (il flusso si è fermato prima)`]);
          t.notExercised(`${role}-service-level`, [`no ${prim} exchange to measure`, `nessuno scambio ${prim} da misurare`]);
          continue;
        }
        const late = a.response.transport === 'timeout' || ms > timeout;
        t.check({
          id: `${role}-timeout`,
          title: [`${prim} is answered within the Nodo timeout (${timeout} ms)`, `${prim} riceve risposta entro il timeout del Nodo (${timeout} ms)`],
          held: !late,
          message: late
            ? [`no answer within ${timeout} ms (${a.response.note ?? a.response.transport ?? `${ms} ms`})`, `nessuna risposta entro ${timeout} ms (${lateIt(a.response.note, a.response.transport, ms)})`]
            : [`${ms} ms`, `${ms} ms`],
          entries: [a.request, a.response],
        });
        if (late) t.notExercised(`${role}-service-level`, ['no answer in time to measure', 'nessuna risposta in tempo da misurare']);
        else
          t.check({
            id: `${role}-service-level`,
            title: [`${prim} is answered within the 2 s service level (98 % monthly; one sample here)`, `${prim} riceve risposta entro il livello di servizio di 2 s (98 % mensile; qui un solo campione)`],
            held: ms <= EC_SERVICE_LEVEL_MS,
            message: [`${ms} ms`, `${ms} ms`],
            entries: [a.request, a.response],
          });
      }
    },
  },
];

/** Why an answer was late, in Italian: the journal's note, else the transport, else the time. */
const lateIt = (note: string | undefined, transport: string | undefined, ms: number): string => (note !== undefined ? detailIt(note) : transport ? transportSaid(transport)[1] : `${ms} ms`);

const describeNo = (a: Answer): Bi =>
  a.outcome === 'OK' ? ['no amount', 'nessun importo'] : a.problem !== undefined ? answerSaid(a) : [`KO ${a.fault?.faultCode ?? ''}`, `KO ${a.fault?.faultCode ?? ''}`];
