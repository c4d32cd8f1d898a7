// Old-model PSP requirements whose scenarios need parts this version of collaudo does not build: each
// is a scenario of its feature that ends NOT_APPLICABLE with the reason, so the certificate and
// `collaudo catalogue --seat psp` say so instead of leaving a silent gap. Its checks count as no coverage.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import type { OldPspContext } from '../../../seats/psp-old.js';

type Def = ScenarioDef<OldPspContext>;

function gap(d: Pick<Def, 'id' | 'title' | 'feature'> & { titleIt: string; reason: string; reasonIt: string; ids: string[] }): Def {
  return {
    id: d.id,
    title: d.title,
    titleIt: d.titleIt,
    seat: 'psp',
    model: 'old',
    ...(d.feature ? { feature: d.feature } : {}),
    checks: [spec('flow', [d.title, d.titleIt], d.ids)],
    notYet: d.reason,
    notYetIt: d.reasonIt,
    run: async (t) => t.notApplicable([d.reason, d.reasonIt]),
  };
}

export const notYetScenarios: Def[] = [
  gap({
    id: 'PSP-OLD-CARD-01',
    title: 'Card payment through the Nodo\'s virtual POS (card cart refused, PSP timeout with the RPT found or unknown)',
    titleIt: 'Pagamento con carta tramite il POS virtuale del Nodo (carrello carta rifiutato, timeout del PSP con RPT trovata o sconosciuta)',
    feature: 'card',
    reason: "card payments need an emulated Acquirer behind the Nodo's virtual POS (credit reservation, accounting, cancellation, its timeouts) and the card cart primitive, which this version of collaudo does not build",
    reasonIt: "i pagamenti con carta richiedono un Acquirer emulato dietro il POS virtuale del Nodo (prenotazione del credito, contabilizzazione, annullamento, i suoi timeout) e la primitiva del carrello carta, che questa versione di collaudo non realizza",
    ids: ['OLD-EC-PAY-02', 'OLD-EC-ERR-04', 'OLD-EC-ERR-05', 'OLD-EC-ERR-06'],
  }),
  gap({
    id: 'PSP-OLD-SPONT-03',
    title: 'A bad nodoChiediCatalogoServizi refused by the Nodo (PPT_SINTASSI_EXTRAXSD)',
    titleIt: 'Una nodoChiediCatalogoServizi errata rifiutata dal Nodo (PPT_SINTASSI_EXTRAXSD)',
    feature: 'spontaneous',
    reason: "the refusal is the Nodo's answer to a request the PSP would have to get wrong on purpose, and no trigger action asks a PSP for an invalid request (the spontaneous payment itself is judged by PSP-OLD-SPONT-01)",
    reasonIt: "il rifiuto è la risposta del Nodo a una richiesta che il PSP dovrebbe sbagliare di proposito, e nessuna azione di trigger chiede a un PSP una richiesta non valida (il pagamento spontaneo in sé è giudicato da PSP-OLD-SPONT-01)",
    ids: ['OLD-REC-PSP-02'],
  }),
  gap({
    id: 'PSP-OLD-INFO-02',
    title: 'The informative queries in the cases the harness cannot set up: the template before any catalogue, bad requests refused',
    titleIt: 'Le richieste informative nei casi che il collaudo non può predisporre: il template prima di ogni catalogo, richieste errate rifiutate',
    reason: "the harness's Nodo always holds the candidate's catalogue (its configuration), so the template-only answer never arises, and a refused request is the Nodo's answer to one the PSP would have to get wrong on purpose, which no trigger action asks for (the queries themselves are judged by PSP-OLD-INFO-01)",
    reasonIt: "il Nodo del collaudo ha sempre il catalogo del candidato (la sua configurazione), quindi la risposta con il solo template non si presenta mai, e una richiesta rifiutata è la risposta del Nodo a una che il PSP dovrebbe sbagliare di proposito, che nessuna azione di trigger chiede (le richieste in sé sono giudicate da PSP-OLD-INFO-01)",
    ids: ['OLD-REC-PSP-04', 'OLD-REC-PSP-05', 'OLD-REC-PSP-07'],
  }),
  gap({
    id: 'PSP-OLD-AVV-01',
    title: 'Subscription to the avvisatura digitale service',
    titleIt: 'Iscrizione al servizio di avvisatura digitale',
    feature: 'avvisatura',
    reason: 'the avvisatura digitale has no WSDL in the specification snapshot and no primitive names in the seed (A-19: "subject to change"), so there is no wire contract to certify against',
    reasonIt: 'l\'avvisatura digitale non ha WSDL nella copia della specifica né nomi di primitive nel seed (A-19: "subject to change"), quindi non esiste un contratto di comunicazione rispetto a cui certificare',
    ids: ['OLD-AVV-SUB-01'],
  }),
  gap({
    id: 'PSP-OLD-DT-01',
    title: 'RT "notifica decorrenza termini" (an RT for a payment whose terms expired)',
    titleIt: 'RT di notifica decorrenza termini',
    reason: 'a deadline-expiry RT follows a PSP-internal deadline the seed does not quantify and no trigger action asks for: the harness cannot make a candidate issue one yet',
    reasonIt: 'una RT di decorrenza termini segue una scadenza interna al PSP che il seed non quantifica e che nessuna azione di trigger chiede: il collaudo non può ancora far emettere una tale RT a un candidato',
    ids: ['OLD-RT-DT-01'],
  }),
];
