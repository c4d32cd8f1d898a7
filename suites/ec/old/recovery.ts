// The EC's recovery and auxiliary queries (catalogue §3.5, MAY for the EC: informational): an RT the
// Nodo could not deliver (the station refused every attempt), recovered with nodoChiediStatoRPT then
// nodoChiediCopiaRT (old-recover-rt); the pending-RPT list and the PSPs' Catalogo Dati Informativi.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import type { Bi } from '../../../src/core/text.js';
import { askOldEc, ecCalls, esitoOf, iuvOf, rptAtPsp, said, verifyAtPsp } from './lib.js';
import { checkCredentials, checkKo, checkOk } from './judge.js';

type Def = ScenarioDef<OldEcContext>;

const QUERY_CREDENTIALS: Bi = ["the EC's queries pass the Nodo's caller checks", "le interrogazioni dell'EC superano i controlli del Nodo sul chiamante"];

const lostRt: Def = {
  id: 'EC-OLD-REC-01',
  title: 'An RT the Nodo could not deliver is recovered by the EC: nodoChiediStatoRPT, then nodoChiediCopiaRT',
  titleIt: "Una RT che il Nodo non ha potuto consegnare è recuperata dall'EC: nodoChiediStatoRPT, poi nodoChiediCopiaRT",
  seat: 'ec',
  model: 'old',
  feature: 'pspStarted',
  checks: [
    spec('stato-asked', ["asked to recover, the EC queries the RPT's state (nodoChiediStatoRPT) and the Nodo answers it", "richiesto il recupero, l'EC interroga lo stato della RPT (nodoChiediStatoRPT) e il Nodo risponde"], 'OLD-REC-EC-05', 'MAY'),
    spec('copy-asked', ['the EC asks the RT copy (nodoChiediCopiaRT) and the Nodo answers it with the RT', "l'EC chiede la copia della RT (nodoChiediCopiaRT) e il Nodo risponde con la RT"], 'OLD-REC-EC-01', 'MAY'),
    spec('booked', ['with the copy the position is paid: paaVerificaRPT answers PAA_PAGAMENTO_DUPLICATO', 'con la copia la posizione risulta pagata: paaVerificaRPT risponde PAA_PAGAMENTO_DUPLICATO'], 'OLD-REC-EC-01', 'MAY'),
    spec('query-credentials', QUERY_CREDENTIALS, 'OLD-X-AUTH-01'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const { kept, ccp } = await rptAtPsp(t, n);
    // the station refuses every delivery of this RT: the Nodo keeps it (RT repository) after its retries
    t.faults.add({ side: 'outbound', primitive: 'paaInviaRT', match: { iuv: iuvOf(n), ccp: ccp }, fault: { kind: 'refused' } });
    // the Nodo answers the PSP after its first send: the RT is then in its repository, to redeliver or copy
    const sent = await t.psp.sendRt(kept, 'OK');
    if (esitoOf(sent) !== 'KO') return t.inconclusive([`the Nodo delivered the RT although the station refused the connection (${said(sent)[0]}): nothing to recover`, `il Nodo ha consegnato la RT benché la stazione rifiutasse la connessione (${said(sent)[1]}): nulla da recuperare`]);
    const asked = await askOldEc(t, 'old-recover-rt', { idDominio: n.fiscalCode, iuv: iuvOf(n), ccp: ccp }, 'nodoChiediStatoRPT');
    checkOk(t, 'stato-asked', asked.answer, ['nodoChiediStatoRPT', 'nodoChiediStatoRPT']);
    checkCredentials(t, 'query-credentials', asked.answer, 'nodoChiediStatoRPT');
    await t.reference?.old.idle();
    const copy = ecCalls(t, 'nodoChiediCopiaRT', asked.asked).at(-1)
      ?? (await t.journal.waitFor((e) => e.seq > asked.asked && e.direction === 'response' && e.primitive === 'nodoChiediCopiaRT', t.trigger?.deadlineMs ?? 0, 'nodoChiediCopiaRT').then(() => ecCalls(t, 'nodoChiediCopiaRT', asked.asked).at(-1)).catch(() => undefined));
    if (!copy) {
      t.check({ id: 'copy-asked', held: false, message: ['the EC never asked the RT copy (nodoChiediCopiaRT)', "l'EC non ha mai chiesto la copia della RT (nodoChiediCopiaRT)"] });
      return t.notExercised('booked', ['no copy was asked', 'nessuna copia è stata chiesta']);
    }
    checkOk(t, 'copy-asked', copy.answer, ['nodoChiediCopiaRT', 'nodoChiediCopiaRT']);
    checkKo(t, 'booked', (await verifyAtPsp(t, n)).ec, ['PAA_PAGAMENTO_DUPLICATO'], ['paaVerificaRPT after the recovery', 'paaVerificaRPT dopo il recupero']);
  },
};

const queries: Def = {
  id: 'EC-OLD-REC-02',
  title: 'The pending-RPT list and the PSPs\' Catalogo Dati Informativi asked by the EC',
  titleIt: "Lista delle RPT pendenti e Catalogo Dati Informativi dei PSP richiesti dall'EC",
  seat: 'ec',
  model: 'old',
  checks: [
    spec('pending-asked', ["asked to, the EC requests the pending RPTs (nodoChiediListaPendentiRPT) and the Nodo answers it", "su richiesta, l'EC chiede le RPT pendenti (nodoChiediListaPendentiRPT) e il Nodo risponde"], 'OLD-REC-EC-03', 'MAY'),
    spec('informativa-asked', ["asked to, the EC requests the PSPs' Catalogo Dati Informativi (nodoChiediInformativaPSP) and the Nodo answers it", "su richiesta, l'EC chiede il Catalogo Dati Informativi dei PSP (nodoChiediInformativaPSP) e il Nodo risponde"], 'OLD-REC-EC-07', 'MAY'),
    spec('query-credentials', QUERY_CREDENTIALS, 'OLD-X-AUTH-01'),
  ],
  async run(t) {
    const pending = await askOldEc(t, 'old-pending', { dimensioneLista: 10 }, 'nodoChiediListaPendentiRPT');
    checkOk(t, 'pending-asked', pending.answer, ['nodoChiediListaPendentiRPT', 'nodoChiediListaPendentiRPT']);
    checkCredentials(t, 'query-credentials', pending.answer, 'nodoChiediListaPendentiRPT');
    const info = await askOldEc(t, 'old-informativa', {}, 'nodoChiediInformativaPSP');
    checkOk(t, 'informativa-asked', info.answer, ['nodoChiediInformativaPSP', 'nodoChiediInformativaPSP']);
  },
};

export const recoveryScenarios: Def[] = [lostRt, queries];
