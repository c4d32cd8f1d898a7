// Sample content of every old-model operation (request, SOAP header, OK answer) and sample
// documents (RPT, RT, RR, ER), for the tests of the old-model wire contracts. Hand-built: they
// exercise the codec and the schemas, not the business rules.
import type { NodeObj } from '../../src/wire/xml.js';

export const EC = '77777777777';
export const IUV = '01234567890123456';
export const CCP = 'ccp-0001';
export const PSP = 'BNKAITMM';
const PAY_I = 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/';
const REV = 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/Revoche/';

export const b64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

const pagatore = (tag: string) =>
  `<${tag}><identificativoUnivocoPagatore><tipoIdentificativoUnivoco>F</tipoIdentificativoUnivoco>` +
  `<codiceIdentificativoUnivoco>RSSMRA80A01H501U</codiceIdentificativoUnivoco></identificativoUnivocoPagatore>` +
  `<anagraficaPagatore>Mario Rossi</anagraficaPagatore></${tag}>`;
const beneficiario =
  `<enteBeneficiario><identificativoUnivocoBeneficiario><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>` +
  `<codiceIdentificativoUnivoco>${EC}</codiceIdentificativoUnivoco></identificativoUnivocoBeneficiario>` +
  `<denominazioneBeneficiario>Comune di Prova</denominazioneBeneficiario></enteBeneficiario>`;
const attestante =
  `<istitutoAttestante><identificativoUnivocoAttestante><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>` +
  `<codiceIdentificativoUnivoco>${PSP}</codiceIdentificativoUnivoco></identificativoUnivocoAttestante>` +
  `<denominazioneAttestante>Banca di Prova</denominazioneAttestante></istitutoAttestante>`;
/** RR and ER name the PSP as the sender (…Mittente) */
const mittente =
  `<istitutoAttestante><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>` +
  `<codiceIdentificativoUnivoco>${PSP}</codiceIdentificativoUnivoco></identificativoUnivocoMittente>` +
  `<denominazioneMittente>Banca di Prova</denominazioneMittente></istitutoAttestante>`;
const dominio = `<dominio><identificativoDominio>${EC}</identificativoDominio></dominio>`;

/** An RPT; `importo` is put as given (an invalid one makes a schema-invalid RPT). */
export function rptXml(o: { iuv?: string; ccp?: string; importo?: string; prolog?: string } = {}): string {
  const imp = o.importo ?? '10.00';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>${o.prolog ?? ''}<RPT xmlns="${PAY_I}"><versioneOggetto>6.2.0</versioneOggetto>${dominio}` +
    `<identificativoMessaggioRichiesta>rpt-msg-1</identificativoMessaggioRichiesta><dataOraMessaggioRichiesta>2026-12-04T10:00:00</dataOraMessaggioRichiesta>` +
    `<autenticazioneSoggetto>N/A</autenticazioneSoggetto>${pagatore('soggettoPagatore')}${beneficiario}` +
    `<datiVersamento><dataEsecuzionePagamento>2026-12-04</dataEsecuzionePagamento><importoTotaleDaVersare>${imp}</importoTotaleDaVersare>` +
    `<tipoVersamento>PO</tipoVersamento><identificativoUnivocoVersamento>${o.iuv ?? IUV}</identificativoUnivocoVersamento>` +
    `<codiceContestoPagamento>${o.ccp ?? CCP}</codiceContestoPagamento><firmaRicevuta>0</firmaRicevuta>` +
    `<datiSingoloVersamento><importoSingoloVersamento>${imp}</importoSingoloVersamento><ibanAccredito>IT60X0542811101000000123456</ibanAccredito>` +
    `<causaleVersamento>/RFB/${o.iuv ?? IUV}/${imp}</causaleVersamento><datiSpecificiRiscossione>9/0101100IM/</datiSpecificiRiscossione></datiSingoloVersamento>` +
    `</datiVersamento></RPT>`
  );
}

export function rtXml(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><RT xmlns="${PAY_I}"><versioneOggetto>6.2.0</versioneOggetto>${dominio}` +
    `<identificativoMessaggioRicevuta>rt-msg-1</identificativoMessaggioRicevuta><dataOraMessaggioRicevuta>2026-12-04T10:05:00</dataOraMessaggioRicevuta>` +
    `<riferimentoMessaggioRichiesta>rpt-msg-1</riferimentoMessaggioRichiesta><riferimentoDataRichiesta>2026-12-04</riferimentoDataRichiesta>` +
    `${attestante}${beneficiario}${pagatore('soggettoPagatore')}` +
    `<datiPagamento><codiceEsitoPagamento>0</codiceEsitoPagamento><importoTotalePagato>10.00</importoTotalePagato>` +
    `<identificativoUnivocoVersamento>${IUV}</identificativoUnivocoVersamento><CodiceContestoPagamento>${CCP}</CodiceContestoPagamento>` +
    `<datiSingoloPagamento><singoloImportoPagato>10.00</singoloImportoPagato><dataEsitoSingoloPagamento>2026-12-04</dataEsitoSingoloPagamento>` +
    `<identificativoUnivocoRiscossione>iur-1</identificativoUnivocoRiscossione><causaleVersamento>/RFB/${IUV}/10.00</causaleVersamento>` +
    `<datiSpecificiRiscossione>9/0101100IM/</datiSpecificiRiscossione></datiSingoloPagamento></datiPagamento></RT>`
  );
}

export function rrXml(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><RR xmlns="${REV}"><versioneOggetto>1.0.0</versioneOggetto>${dominio}` +
    `<identificativoMessaggioRevoca>rr-msg-1</identificativoMessaggioRevoca><dataOraMessaggioRevoca>2026-12-04T11:00:00</dataOraMessaggioRevoca>` +
    `${mittente}${pagatore('soggettoPagatore')}<datiRevoca><importoTotaleRevocato>10.00</importoTotaleRevocato>` +
    `<identificativoUnivocoVersamento>${IUV}</identificativoUnivocoVersamento><codiceContestoPagamento>${CCP}</codiceContestoPagamento>` +
    `<tipoRevoca>1</tipoRevoca><datiSingolaRevoca><singoloImportoRevocato>10.00</singoloImportoRevocato>` +
    `<identificativoUnivocoRiscossione>iur-1</identificativoUnivocoRiscossione><causaleRevoca>annullo tecnico</causaleRevoca>` +
    `<datiAggiuntiviRevoca>nessuno</datiAggiuntiviRevoca></datiSingolaRevoca></datiRevoca></RR>`
  );
}

export function erXml(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ER xmlns="${REV}"><versioneOggetto>1.0.0</versioneOggetto>${dominio}` +
    `<identificativoMessaggioEsito>er-msg-1</identificativoMessaggioEsito><dataOraMessaggioEsito>2026-12-04T11:05:00</dataOraMessaggioEsito>` +
    `<riferimentoMessaggioRevoca>rr-msg-1</riferimentoMessaggioRevoca><riferimentoDataRevoca>2026-12-04</riferimentoDataRevoca>` +
    `${mittente}${pagatore('soggettoPagatore')}<datiRevoca><importoTotaleRevocato>10.00</importoTotaleRevocato>` +
    `<identificativoUnivocoVersamento>${IUV}</identificativoUnivocoVersamento><codiceContestoPagamento>${CCP}</codiceContestoPagamento>` +
    `<datiSingolaRevoca><singoloImportoRevocato>10.00</singoloImportoRevocato><identificativoUnivocoRiscossione>iur-1</identificativoUnivocoRiscossione>` +
    `<causaleEsito>accolta</causaleEsito><datiAggiuntiviEsito>nessuno</datiAggiuntiviEsito></datiSingolaRevoca></datiRevoca></ER>`
  );
}

export const RPT = b64(rptXml());
export const RT = b64(rtXml());
export const RR = b64(rrXml());
export const ER = b64(erXml());

const station = { identificativoIntermediarioPA: EC, identificativoStazioneIntermediarioPA: `${EC}_01` };
const stationPwd = { ...station, password: 'password01' };
const key = { identificativoDominio: EC, identificativoUnivocoVersamento: IUV, codiceContestoPagamento: CCP };
const pspIds = { identificativoPSP: PSP, identificativoIntermediarioPSP: `${PSP}-INT`, identificativoCanale: `${PSP}-CH01` };
const pspPwd = { ...pspIds, password: 'password01' };
const ok = { esito: 'OK' };
const T = '2026-12-04T10:00:00';
const qr = { 'qrc:QrCode': { 'qrc:CF': EC, 'qrc:AuxDigit': '3', 'qrc:CodIUV': IUV } };
const soggetto = { 'pay_i:identificativoUnivocoPagatore': { 'pay_i:tipoIdentificativoUnivoco': 'F', 'pay_i:codiceIdentificativoUnivoco': 'RSSMRA80A01H501U' }, 'pay_i:anagraficaPagatore': 'Mario Rossi' };
/** collaudo's own Catalogo dei Servizi document (no schema is published for it). */
export const CATALOGO_SERVIZI =
  `<catalogoServizi xmlns="urn:collaudo:old:CatalogoServizi"><dataOraPubblicazione>2026-12-04T10:00:00</dataOraPubblicazione>` +
  `<servizio><idServizio>00001</idServizio><idDominioErogatoreServizio>${EC}</idDominioErogatoreServizio><denominazioneErogatore>Comune di Prova</denominazioneErogatore></servizio></catalogoServizi>`;
const datiPA = { importoSingoloVersamento: '10.00', ibanAccredito: 'IT60X0542811101000000123456', causaleVersamento: `/RFB/${IUV}/10.00` };
const datiPSP = { importoSingoloVersamento: '10.00', soggettoPagatore: soggetto };
const ackRT = {
  'pay_j:identificativoACK': 'ack-1',
  'pay_j:dataOraACK': T,
  'pay_j:mittenteACK': 'NodoDeiPagamentiSPC',
  'pay_j:datiMessaggioReferenziato': {
    'pay_j:identificativoDominio': EC,
    'pay_j:identificativoUnivocoVersamento': IUV,
    'pay_j:codiceContestoPagamento': CCP,
    'pay_j:identificativoMessaggioReferenziato': 'rt-msg-1',
    'pay_j:dataOraMessaggioReferenziato': T,
    'pay_j:tipologiaMessaggioReferenziato': 'RT',
    'pay_j:mittenteMessaggioReferenziato': PSP,
  },
  'pay_j:informazioniStatoMessaggioReferenziato': { 'pay_j:statoMessaggioReferenziato': 'ACTC' },
};
const cartItem = { ...key, rpt: RPT };

export interface Sample {
  request: NodeObj;
  header?: NodeObj;
  response: NodeObj;
}

/** One OK exchange per operation, by operation name. */
export const SAMPLES: Record<string, Sample> = {
  // NodoPerPa
  nodoInviaRPT: { header: { ...station, ...key }, request: { password: 'password01', ...pspIds, rpt: RPT }, response: { esito: 'OK', redirect: 1, url: 'https://wisp.example/pay?idSession=s1' } },
  nodoInviaCarrelloRPT: {
    header: { ...station, identificativoCarrello: `${EC}${IUV}-00001` },
    request: { password: 'password01', ...pspIds, listaRPT: { elementoListaRPT: [cartItem, { ...cartItem, codiceContestoPagamento: 'ccp-0002' }] }, requireLightPayment: 0, multiBeneficiario: false },
    response: { esitoComplessivoOperazione: 'OK', url: 'https://wisp.example/pay?idSession=s1' },
  },
  nodoChiediStatoRPT: { request: { ...stationPwd, ...key }, response: { esito: { stato: 'RPT_ACCETTATA_NODO', elementoStoricoRPT: { data: T, stato: 'RPT_RICEVUTA_NODO', descrizione: 'ricevuta' } } } },
  nodoChiediCopiaRT: { request: { ...stationPwd, ...key }, response: { tipoFirma: '0', rt: RT } },
  nodoChiediListaPendentiRPT: { request: { ...stationPwd, identificativoDominio: EC, rangeDa: T, dimensioneLista: 10 }, response: { listaRPTPendenti: { totRestituiti: 1, rptPendente: { ...key, stato: 'RPT_INVIATA_A_PSP' } } } },
  nodoChiediInformativaPSP: { request: { ...stationPwd, identificativoDominio: EC }, response: { xmlInformativa: b64('<informativa/>') } },
  nodoPAChiediInformativaPA: { request: { ...stationPwd, identificativoDominio: EC }, response: { xmlInformativa: b64('<informativa/>') } },
  nodoChiediElencoQuadraturePA: { request: { ...stationPwd }, response: { listaQuadrature: { totRestituiti: 1, idQuadratura: { identificativoFlusso: 'Q-1', dataOraFlusso: T } } } },
  nodoChiediQuadraturaPA: { request: { ...stationPwd, identificativoFlusso: 'Q-1' }, response: { xmlQuadratura: b64('<quadratura/>') } },
  nodoChiediElencoFlussiRendicontazione: { request: { ...stationPwd, identificativoDominio: EC }, response: { elencoFlussiRendicontazione: { totRestituiti: 1, idRendicontazione: { identificativoFlusso: `2026-12-04${PSP}-F1`, dataOraFlusso: T } } } },
  nodoChiediFlussoRendicontazione: { request: { ...stationPwd, identificativoDominio: EC, identificativoFlusso: `2026-12-04${PSP}-F1` }, response: { xmlRendicontazione: b64('<FlussoRiversamento/>') } },
  nodoInviaRichiestaStorno: { request: { ...stationPwd, ...key, rr: RR }, response: ok },
  nodoInviaRispostaRevoca: { request: { ...stationPwd, ...key, er: ER }, response: ok },
  nodoChiediSceltaWISP: { request: { ...stationPwd, identificativoDominio: EC, keyPA: 'kpa-1', keyWISP: 'kwisp-1' }, response: { effettuazioneScelta: 'SI', ...pspIds, tipoVersamento: 'CP' } },
  // PaPerNodo
  paaInviaRT: { header: { ...station, ...key }, request: { tipoFirma: '0', rt: RT }, response: { paaInviaRTRisposta: ok } },
  paaInviaEsitoStorno: { request: { ...station, ...key, er: ER }, response: { paaInviaEsitoStornoRisposta: ok } },
  paaInviaRichiestaRevoca: { request: { ...key, rr: RR }, response: { paaInviaRichiestaRevocaRisposta: ok } },
  // PaPerNodoPagamentoPsp
  paaVerificaRPT: { header: { ...station, ...key }, request: { identificativoPSP: PSP }, response: { paaVerificaRPTRisposta: { esito: 'OK', datiPagamentoPA: datiPA } } },
  paaAttivaRPT: {
    header: { ...station, ...key },
    request: { identificativoPSP: PSP, datiPagamentoPSP: datiPSP, identificativoIntermediarioPSP: `${PSP}-INT`, identificativoCanalePSP: `${PSP}-CH01` },
    response: { paaAttivaRPTRisposta: { esito: 'OK', datiPagamentoPA: datiPA } },
  },
  // PaPerNodoRichiestaAvvisi
  paaChiediNumeroAvviso: {
    header: { ...station, identificativoDominio: EC },
    request: { identificativoPSP: PSP, datiSpecificiServizio: b64('<servizio/>') },
    response: { paaChiediNumeroAvvisoRisposta: { esito: 'OK', numeroAvviso: { auxDigit: '3', IUV }, datiPagamentoPA: datiPA } },
  },
  // NodoPerPsp
  nodoVerificaRPT: { request: { ...pspPwd, codiceContestoPagamento: CCP, codificaInfrastrutturaPSP: 'QR-CODE', codiceIdRPT: qr }, response: { nodoVerificaRPTRisposta: { esito: 'OK', datiPagamentoPA: datiPA } } },
  nodoAttivaRPT: {
    request: { ...pspPwd, codiceContestoPagamento: CCP, identificativoIntermediarioPSPPagamento: `${PSP}-INT`, identificativoCanalePagamento: `${PSP}-CH01`, codificaInfrastrutturaPSP: 'QR-CODE', codiceIdRPT: qr, datiPagamentoPSP: datiPSP },
    response: { nodoAttivaRPTRisposta: { esito: 'OK', datiPagamentoPA: datiPA } },
  },
  nodoInviaRT: { request: { identificativoIntermediarioPSP: `${PSP}-INT`, identificativoCanale: `${PSP}-CH01`, password: 'password01', identificativoPSP: PSP, ...key, tipoFirma: '0', rt: RT }, response: { nodoInviaRTRisposta: ok } },
  nodoInviaFlussoRendicontazione: { request: { ...pspPwd, identificativoDominio: EC, identificativoFlusso: `2026-12-04${PSP}-F1`, dataOraFlusso: T, xmlRendicontazione: b64('<FlussoRiversamento/>') }, response: ok },
  nodoChiediStatoFlussoRendicontazione: { request: { ...pspPwd, identificativoFlusso: `2026-12-04${PSP}-F1` }, response: { ...ok, stato: 'FLUSSO_ELABORATO' } },
  nodoChiediStatoElaborazioneFlussoRendicontazione: { request: { ...pspPwd, identificativoFlusso: `2026-12-04${PSP}-F1` }, response: { ...ok, stato: 'FLUSSO_IN_ELABORAZIONE' } },
  nodoChiediInformativaPA: { request: { ...pspPwd, identificativoDominio: EC }, response: { xmlInformativa: b64('<informativa/>') } },
  nodoChiediTemplateInformativaPSP: { request: { ...pspPwd }, response: { xmlTemplateInformativa: b64('<template/>') } },
  nodoChiediElencoQuadraturePSP: { request: { ...pspPwd }, response: { listaQuadrature: { totRestituiti: 0 } } },
  nodoChiediQuadraturaPSP: { request: { ...pspPwd, identificativoFlusso: 'Q-1' }, response: { xmlQuadratura: b64('<quadratura/>') } },
  nodoInviaEsitoStorno: { request: { ...pspPwd, ...key, er: ER }, response: ok },
  nodoInviaRichiestaRevoca: { request: { ...pspPwd, ...key, rr: RR }, response: ok },
  // NodoPerPspRichiestaAvvisi
  nodoChiediNumeroAvviso: {
    request: { ...pspPwd, idServizio: '00001', idDominioErogatoreServizio: EC, datiSpecificiServizio: b64('<servizio/>') },
    response: { nodoChiediNumeroAvvisoRisposta: { esito: 'OK', identificativoDominio: EC, numeroAvviso: { auxDigit: '3', IUV }, datiPagamentoPA: datiPA } },
  },
  nodoChiediCatalogoServizi: {
    request: { ...pspPwd, identificativoDominio: EC },
    // the catalogue's answer wraps an element named as the other operation's
    response: { nodoChiediNumeroAvvisoRisposta: { xmlCatalogoServizi: b64(CATALOGO_SERVIZI) } },
  },
  // PspPerNodo
  pspInviaRPT: {
    request: { identificativoDominio: EC, ...pspIds, modelloPagamento: 4, elementoListaRPT: { identificativoUnivocoVersamento: IUV, codiceContestoPagamento: CCP, rpt: RPT } },
    response: { pspInviaRPTResponse: { esitoComplessivoOperazione: 'OK', identificativoCarrello: 'cart-1' } },
  },
  pspInviaCarrelloRPT: {
    request: { ...pspIds, modelloPagamento: 0, listaRPT: { elementoListaCarrelloRPT: cartItem } },
    response: { pspInviaCarrelloRPTResponse: { esitoComplessivoOperazione: 'OK', identificativoCarrello: 'cart-1', parametriPagamentoImmediato: 'idBruciatura=1' } },
  },
  pspInviaCarrelloRPTCarte: {
    request: { ...pspIds, modelloPagamento: 0, listaRPT: { elementoListaCarrelloRPT: cartItem }, rrn: '123456789012', esitoTransazioneCarta: '00', importoTotalePagato: '10.00', timestampOperazione: T, codiceAutorizzativo: 'A1B2C3' },
    response: { pspInviaCarrelloRPTResponse: { esitoComplessivoOperazione: 'OK' } },
  },
  pspChiediListaRT: { request: { identificativoRichiedente: PSP, identificativoIntermediarioPSP: `${PSP}-INT`, identificativoCanale: `${PSP}-CH01` }, response: { pspChiediListaRTResponse: { elementoListaRTResponse: key } } },
  pspChiediRT: { request: key, response: { pspChiediRTResponse: { tipoFirma: '0', rt: RT } } },
  pspInviaAckRT: { request: { ...key, ackRT }, response: { pspInviaAckRTResponse: ok } },
  pspChiediAvanzamentoRPT: { request: key, response: { pspChiediAvanzamentoRPTResponse: { value: 'RPT_IN_CORSO' } } },
  pspInviaRichiestaStorno: { request: { ...key, rr: RR }, response: { pspInviaRichiestaStornoResponse: ok } },
  pspInviaRispostaRevoca: { request: { ...key, er: ER }, response: { pspInviaRispostaRevocaResponse: ok } },
  pspNotificaCancellazioneRPT: { request: key, response: { pspNotificaCancellazioneRPTResponse: ok } },
};
