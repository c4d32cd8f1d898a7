// Synchronous vs asynchronous EC integration (catalogue §3.5): ACA feeding of synchronous public
// administrations, positions held by GPD (create/publish/update/invalidate, validated against
// openapi/gpd.json and GPD's rules), payments the platform answers from GPD without the EC.
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { answerSaid } from '../../src/wire/answer.js';
import type { Bi } from '../../src/core/text.js';
import { askEc, gpdNodo, platformExchanges, platformOf, provisionExt, updateProvisioned } from './platform-lib.js';

type S = ScenarioDef<EcContext>;

/** The GPD requests of this scenario were schema-valid and accepted (GPD-02), by operation. */
const gpdAccepted = (op: string, requirement: string) =>
  spec(`gpd-accepted-${op}`, [`every ${op} request of the EC is valid and accepted by GPD (no 4xx)`, `ogni richiesta ${op} dell’EC è valida e accettata da GPD (nessun 4xx)`], requirement);
function checkGpdRequests(t: EcContext, ops: string[]): boolean {
  const xs = ops.flatMap((op) => platformExchanges(t, op).map((x) => ({ ...x, op })));
  const bad = xs.filter((x) => !x.response || (x.response.httpStatus ?? 500) >= 300);
  // GPD's answer bodies are quoted in the Italian (the platform's own words)
  const refusals = (it: boolean) => bad.map((b) => `${b.op} → HTTP ${b.response?.httpStatus}: ${it ? `«${b.response?.raw.slice(0, 200)}»` : b.response?.raw.slice(0, 200)}`).join('; ');
  const message: Bi =
    xs.length === 0
      ? [`the EC never called ${ops.join('/')}`, `l’EC non ha mai chiamato ${ops.join('/')}`]
      : bad.length
        ? [refusals(false), refusals(true)]
        : [`${xs.length} request(s) accepted`, `${xs.length} richiesta/e accettata/e`];
  return t.check({ id: `gpd-accepted-${ops.join('-')}`, held: xs.length > 0 && bad.length === 0, message, entries: xs.flatMap((x) => [x.request, x.response]) });
}

/** A receipt delivery's state in Italian (src/core/delivery-queue.ts DeliveryState). */
const DELIVERY_IT: Record<string, string> = { pending: 'in attesa di consegna', delivered: 'consegnata', rejected: 'rifiutata', parked: 'sospesa' };

/** A GPD status in a message (the status is GPD's own word, unchanged). */
const gpdStatus = (status: string): Bi => [`GPD status ${status}`, `stato GPD ${status === '(none)' ? '(nessuno)' : status}`];

/** The EC's calls at the harness's GPD in this scenario (the evidence of the GPD state checks). */
const gpdCalls = (t: EcContext) => ['createPosition', 'updatePosition', 'invalidatePosition', 'publishPosition'].flatMap((op) => platformExchanges(t, op).flatMap((x) => [x.request, x.response]));

/** Asks the EC (trigger) to create a position in GPD; its IUPD and NAV are read from the createPosition call on the wire. */
async function gpdCreate(t: EcContext, amountCents: number): Promise<{ iupd?: string; nav?: string }> {
  await askEc(t, 'gpd-create', { amountCents, params: { amountCents } });
  const created = platformExchanges(t, 'createPosition').at(-1)?.body as { iupd?: string; paymentOption?: { nav?: string; iuv?: string }[] } | undefined;
  const o = created?.paymentOption?.[0];
  return { iupd: created?.iupd, nav: o?.nav ?? (o?.iuv ? `3${o.iuv}` : undefined) };
}

export const integrationScenarios: S[] = [
  {
    id: 'EC-ACA-01',
    title: 'Synchronous public administration feeds ACA: a new payable position and its amount update reach ACA (paCreatePosition)',
    titleIt: 'PA integrata in modo sincrono alimenta ACA: una nuova posizione pagabile e l’aggiornamento dell’importo arrivano ad ACA (paCreatePosition)',
    seat: 'ec',
    feature: 'sync-pa',
    // ACA feeding is IF-X-24's obligation of sync-integrated ECs, which NM-SI-ACA-01 scenarises
    checks: [
      spec('aca-created', ['the new payable position is in ACA with its notice number and amount', 'la nuova posizione pagabile è in ACA con il suo numero avviso e il suo importo'], ['NM-SI-ACA-01', 'IF-X-24']),
      spec('aca-updated', ['the amount update reaches ACA through the same idempotent call', 'l’aggiornamento dell’importo arriva ad ACA con la stessa chiamata idempotente'], ['NM-SI-ACA-01', 'IF-X-24']),
    ],
    async run(t) {
      const pf = platformOf(t);
      const n = await provisionExt(t, { state: 'payable', amountCents: 4200 });
      const fed = pf.gpd.acaRecord(n.noticeNumber);
      if (!fed && t.profile.declarations?.['NM-SI-ACA-01'])
        return t.inconclusive([
          'ACA feeding is declared in the profile but did not reach the harness ACA: the wire cannot show it (reported in the declarations)',
          'l’alimentazione di ACA è dichiarata nel profilo ma non è arrivata all’ACA del collaudo: i messaggi non possono mostrarla (riportata nelle dichiarazioni)',
        ]);
      const calls = platformExchanges(t, 'paCreatePosition');
      t.check({
        id: 'aca-created',
        held: fed?.status === 'VALID' && fed.amount === n.amountCents,
        message: fed ? [`ACA ${fed.nav}: ${fed.amount} cents, ${fed.status}`, `ACA ${fed.nav}: ${fed.amount} centesimi, ${fed.status}`] : ['no paCreatePosition for the notice', 'nessun paCreatePosition per l’avviso'],
        entries: calls.flatMap((c) => [c.request, c.response]),
      });
      if (!fed) return;
      const upd = await updateProvisioned(t, n, { amountCents: 4700 });
      if (upd.status !== 200) return t.inconclusive([`the provisioning update answered ${upd.status}`, `l’aggiornamento tramite provisioning ha risposto ${upd.status}`]);
      const after = pf.gpd.acaRecord(n.noticeNumber);
      t.check({
        id: 'aca-updated',
        held: after?.amount === 4700,
        message: [`ACA amount ${after?.amount} after the update to 4700`, `importo in ACA ${after?.amount} dopo l’aggiornamento a 4700`],
        entries: platformExchanges(t, 'paCreatePosition').flatMap((c) => [c.request, c.response]),
      });
    },
  },
  {
    id: 'EC-GPD-01',
    title: 'Asynchronous integration: the EC publishes a position in GPD; the platform answers verify/activation from GPD, never calling the EC',
    titleIt: 'Integrazione asincrona: l’EC pubblica una posizione in GPD; la piattaforma risponde a verifica/attivazione da GPD senza chiamare l’EC',
    seat: 'ec',
    feature: 'async',
    checks: [
      spec('gpd-created', ['the EC creates the position in GPD', 'l’EC crea la posizione in GPD'], 'NM-SI-GPD-01'),
      spec('gpd-valid', ['the position is VALID (published) before anyone pays it', 'la posizione è VALID (pubblicata) prima che qualcuno la paghi'], 'NM-SI-GPD-01'),
      spec('paid-from-gpd', ['the notice is paid with the platform answering from GPD', 'l’avviso è pagato con la piattaforma che risponde da GPD'], 'NM-SI-GPD-01'),
      spec('ec-not-called', ['the EC receives no verify/activation for a GPD-held notice', 'l’EC non riceve verifica/attivazione per un avviso gestito da GPD'], 'NM-SI-GPD-01'),
      spec('gpd-paid', ['GPD shows the position PAID after the receipt', 'GPD mostra la posizione PAID dopo la ricevuta'], 'NM-SI-GPD-01'),
    ],
    async run(t) {
      const pf = platformOf(t);
      const { iupd, nav } = await gpdCreate(t, 6400);
      const created = platformExchanges(t, 'createPosition').flatMap((x) => [x.request, x.response]);
      t.check({
        id: 'gpd-created',
        held: !!iupd && !!nav,
        message: iupd && nav ? [`position ${iupd}, notice ${nav}`, `posizione ${iupd}, avviso ${nav}`] : ['no createPosition with a position and a notice number reached GPD', 'nessun createPosition con una posizione e un numero avviso è arrivato a GPD'],
        entries: created,
      });
      if (!iupd || !nav) return;
      const rec = pf.gpd.position(t.station.idPA, iupd);
      t.check({ id: 'gpd-valid', held: rec?.position.status === 'VALID', message: gpdStatus(rec?.position.status ?? '(none)'), entries: [...created, ...gpdCalls(t)] });
      const g = await gpdNodo(t);
      try {
        const r = await g.psp.payNotice({ fiscalCode: t.station.idPA, noticeNumber: nav });
        const d = r.paymentToken ? await g.nodo.waitDelivery(r.paymentToken, t.station.idPA).catch(() => undefined) : undefined;
        const payEntries = t.journal.filter((e) => e.correlation.noticeNumber === nav && !!e.primitive && !e.primitive.startsWith('trigger:'));
        t.check({ id: 'paid-from-gpd', held: d?.state === 'delivered', message: r.paymentToken ? [`receipt ${d?.state}`, `ricevuta ${DELIVERY_IT[d?.state ?? ''] ?? d?.state}`] : answerSaid(r.activate ?? r.verify ?? {}), entries: payEntries });
        const toEc = t.journal.filter((e) => e.direction === 'request' && e.to === 'ec' && e.correlation.noticeNumber === nav && (e.note ?? '').includes(`station ${t.station.idStation}`));
        t.check({ id: 'ec-not-called', held: toEc.length === 0, message: [`${toEc.length} paForNode request(s) to the candidate`, `${toEc.length} richiesta/e paForNode all’EC in collaudo`], entries: toEc.length ? toEc : payEntries });
        const paid = pf.gpd.position(t.station.idPA, iupd)?.position.status;
        t.check({ id: 'gpd-paid', held: paid === 'PAID', message: gpdStatus(`${paid}`), entries: [...created, ...payEntries] });
      } finally {
        await g.stop();
      }
    },
  },
  {
    id: 'EC-GPD-02',
    title: 'GPD create/update validation: the EC’s createPosition and updatePosition bodies are valid (schema, Σ transfers = amount, IBANs, due dates) and accepted',
    titleIt: 'Validazione GPD: i corpi createPosition e updatePosition dell’EC sono validi (schema, Σ trasferimenti = importo, IBAN, scadenze) e accettati',
    seat: 'ec',
    feature: 'async',
    checks: [
      gpdAccepted('createPosition', 'NM-SI-GPD-02'),
      gpdAccepted('updatePosition', 'NM-SI-GPD-02'),
      spec('gpd-updated', ['GPD holds the updated amount', 'GPD contiene l’importo aggiornato'], 'NM-SI-GPD-02'),
    ],
    async run(t) {
      const pf = platformOf(t);
      const { iupd, nav } = await gpdCreate(t, 5100);
      checkGpdRequests(t, ['createPosition']);
      if (!iupd || !nav || !pf.gpd.position(t.station.idPA, iupd)) return;
      await askEc(t, 'gpd-update', { notice: { fiscalCode: t.station.idPA, noticeNumber: nav }, amountCents: 5600, params: { iupd, amountCents: 5600 } });
      checkGpdRequests(t, ['updatePosition']);
      const o = pf.gpd.position(t.station.idPA, iupd)?.position.paymentOption[0];
      t.check({ id: 'gpd-updated', held: o?.amount === 5600, message: [`GPD amount ${o?.amount}`, `importo in GPD ${o?.amount}`], entries: gpdCalls(t) });
    },
  },
  {
    id: 'EC-GPD-03',
    title: 'GPD lifecycle: created VALID, invalidated on cancellation (INVALID), then not payable on pagoPA',
    titleIt: 'Ciclo di vita GPD: creata VALID, invalidata all’annullamento (INVALID), poi non pagabile su pagoPA',
    seat: 'ec',
    feature: 'async',
    checks: [
      spec('lifecycle-valid', ['the created position reaches VALID (DRAFT → PUBLISHED → VALID, or toPublish at creation)', 'la posizione creata arriva a VALID (DRAFT → PUBLISHED → VALID, o toPublish alla creazione)'], 'NM-SI-GPD-03'),
      gpdAccepted('invalidatePosition', 'NM-SI-GPD-03'),
      spec('lifecycle-invalid', ['the cancelled position is INVALID in GPD', 'la posizione annullata è INVALID in GPD'], 'NM-SI-GPD-03'),
      spec('invalid-not-payable', ['an invalidated position is not payable (PAA_PAGAMENTO_ANNULLATO relayed)', 'una posizione invalidata non è pagabile (PAA_PAGAMENTO_ANNULLATO inoltrato)'], 'NM-SI-GPD-03'),
    ],
    async run(t) {
      const pf = platformOf(t);
      const { iupd, nav } = await gpdCreate(t, 3300);
      const st = () => (iupd ? pf.gpd.position(t.station.idPA, iupd)?.position.status : undefined);
      t.check({ id: 'lifecycle-valid', held: st() === 'VALID', message: gpdStatus(st() ?? '(none)'), entries: gpdCalls(t) });
      if (!iupd || !nav || st() !== 'VALID') return;
      await askEc(t, 'gpd-cancel', { notice: { fiscalCode: t.station.idPA, noticeNumber: nav }, params: { iupd } });
      checkGpdRequests(t, ['invalidatePosition']);
      t.check({ id: 'lifecycle-invalid', held: st() === 'INVALID', message: gpdStatus(`${st()}`), entries: gpdCalls(t) });
      const g = await gpdNodo(t);
      try {
        const v = await g.psp.verify({ fiscalCode: t.station.idPA, noticeNumber: nav });
        const codes = `${v.fault?.faultCode ?? v.outcome} / ${v.fault?.originalFaultCode ?? ''}`;
        t.check({ id: 'invalid-not-payable', held: v.outcome === 'KO' && v.fault?.originalFaultCode === 'PAA_PAGAMENTO_ANNULLATO', message: [codes, codes], entries: [...gpdCalls(t), ...t.journal.filter((e) => e.correlation.noticeNumber === nav && e.primitive === 'verifyPaymentNotice')] });
      } finally {
        await g.stop();
      }
    },
  },
];
