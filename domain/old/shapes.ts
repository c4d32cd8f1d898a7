// The XSD sequences of the old-model documents as data (interfaces/old/documents/*.xsd), read by the
// codec to build and read them. Order, occurrences and facets are the schema's; keep the two in step.
import { type DocShape, type Field, amount, base64, date, dateTime, f, group, oneOf, pattern, text } from './codec.js';
import { AUTENTICAZIONE_SOGGETTO, CODICE_ESITO_PAGAMENTO, NS_OLD, TIPO_REVOCA, TIPO_VERSAMENTO } from './types.js';

const t16 = text(16);
const t35 = text(35);
const t70 = text(70);
const t140 = text(140);
const nazione = pattern(/^[A-Z]{2}$/, 'two upper-case letters');
const email = pattern(/^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/, 'an e-mail address', 256);
const iban = pattern(/^[a-zA-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/, 'an IBAN ([a-zA-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30})');
const bic = pattern(/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/, 'a BIC');
const datiSpecificiRiscossione = pattern(/^[0129]\/\S{3,138}$/, 'tipo/codice contabilità ([0129]/\\S{3,138})');

/** A party's address block: the same fields with a suffix (Versante, Pagatore, Beneficiario...). */
function address(suffix: string, country: Field['type']): Field[] {
  return [
    f(`indirizzo${suffix}`, t70, '?'),
    f(`civico${suffix}`, t16, '?'),
    f(`cap${suffix}`, t16, '?'),
    f(`localita${suffix}`, t35, '?'),
    f(`provincia${suffix}`, t35, '?'),
    f(`nazione${suffix}`, country, '?'),
  ];
}
const id = (tipi: readonly string[], code: Field['type']) => group(f('tipoIdentificativoUnivoco', oneOf(tipi)), f('codiceIdentificativoUnivoco', code));
const dominio = group(f('identificativoDominio', t35), f('identificativoStazioneRichiedente', t35, '?'));

/** Parties of a schema: the RPT/RT file and the RR/ER file differ in the identifier's length. */
function parties(code: Field['type']) {
  const soggetto = (role: 'Versante' | 'Pagatore') =>
    group(f(`identificativoUnivoco${role}`, id(['F', 'G'], code)), f(`anagrafica${role}`, t70), ...address(role, nazione), f(`e-mail${role}`, email, '?'));
  const istituto = (suffix: 'Attestante' | 'Mittente') =>
    group(
      f(`identificativoUnivoco${suffix}`, id(['G', 'A', 'B'], code)),
      f(`denominazione${suffix}`, t70),
      f(`codiceUnitOper${suffix}`, t35, '?'),
      f(`denomUnitOper${suffix}`, t70, '?'),
      ...address(suffix, nazione),
    );
  const ente = group(
    f('identificativoUnivocoBeneficiario', id(['G'], code)),
    f('denominazioneBeneficiario', t70),
    f('codiceUnitOperBeneficiario', t35, '?'),
    f('denomUnitOperBeneficiario', t70, '?'),
    ...address('Beneficiario', nazione),
  );
  return { versante: soggetto('Versante'), pagatore: soggetto('Pagatore'), istituto, ente };
}

// ---------- RPT / RT ----------

const p = parties(text(16, 2));

const datiSingoloVersamento = group(
  f('importoSingoloVersamento', amount(true)),
  f('commissioneCaricoPA', amount(true), '?'),
  f('ibanAccredito', iban, '?'),
  f('bicAccredito', bic, '?'),
  f('ibanAppoggio', iban, '?'),
  f('bicAppoggio', bic, '?'),
  f('credenzialiPagatore', t35, '?'),
  f('causaleVersamento', t140),
  f('datiSpecificiRiscossione', datiSpecificiRiscossione),
  f('datiMarcaBolloDigitale', group(f('tipoBollo', oneOf(['01'])), f('hashDocumento', base64(/^.{1,70}$/)), f('provinciaResidenza', nazione)), '?'),
);

export const RPT_SHAPE: DocShape = {
  doc: 'RPT',
  root: 'RPT',
  ns: NS_OLD.pagamenti,
  content: group(
    f('versioneOggetto', t16),
    f('dominio', dominio),
    f('identificativoMessaggioRichiesta', t35),
    f('dataOraMessaggioRichiesta', dateTime),
    f('autenticazioneSoggetto', oneOf(AUTENTICAZIONE_SOGGETTO)),
    f('soggettoVersante', p.versante, '?'),
    f('soggettoPagatore', p.pagatore),
    f('enteBeneficiario', p.ente),
    f(
      'datiVersamento',
      group(
        f('dataEsecuzionePagamento', date),
        f('importoTotaleDaVersare', amount(true)),
        f('tipoVersamento', oneOf(TIPO_VERSAMENTO)),
        f('identificativoUnivocoVersamento', t35),
        f('codiceContestoPagamento', t35),
        f('ibanAddebito', iban, '?'),
        f('bicAddebito', bic, '?'),
        f('firmaRicevuta', oneOf(['0'])),
        f('datiSingoloVersamento', datiSingoloVersamento, '1..5'),
      ),
    ),
  ),
};

const datiSingoloPagamento = group(
  f('singoloImportoPagato', amount()),
  f('esitoSingoloPagamento', t35, '?'),
  f('dataEsitoSingoloPagamento', date),
  f('identificativoUnivocoRiscossione', t35),
  f('causaleVersamento', t140),
  f('datiSpecificiRiscossione', datiSpecificiRiscossione),
  f('commissioniApplicatePSP', amount(), '?'),
  f('commissioniApplicatePA', amount(true), '?'),
  f('allegatoRicevuta', group(f('tipoAllegatoRicevuta', oneOf(['ES', 'BD'])), f('testoAllegato', base64())), '?'),
);

export const RT_SHAPE: DocShape = {
  doc: 'RT',
  root: 'RT',
  ns: NS_OLD.pagamenti,
  content: group(
    f('versioneOggetto', t16),
    f('dominio', dominio),
    f('identificativoMessaggioRicevuta', t35),
    f('dataOraMessaggioRicevuta', dateTime),
    f('riferimentoMessaggioRichiesta', t35),
    f('riferimentoDataRichiesta', date),
    f('istitutoAttestante', p.istituto('Attestante')),
    f('enteBeneficiario', p.ente),
    f('soggettoVersante', p.versante, '?'),
    f('soggettoPagatore', p.pagatore),
    f(
      'datiPagamento',
      group(
        f('codiceEsitoPagamento', oneOf(CODICE_ESITO_PAGAMENTO)),
        f('importoTotalePagato', amount()),
        f('identificativoUnivocoVersamento', t35),
        f('CodiceContestoPagamento', t35),
        f('datiSingoloPagamento', datiSingoloPagamento, '0..5'),
      ),
    ),
  ),
};

// ---------- RR / ER ----------

const r = parties(t35);

export const RR_SHAPE: DocShape = {
  doc: 'RR',
  root: 'RR',
  ns: NS_OLD.revoche,
  content: group(
    f('versioneOggetto', t16),
    f('dominio', dominio),
    f('identificativoMessaggioRevoca', t35),
    f('dataOraMessaggioRevoca', dateTime),
    f('istitutoAttestante', r.istituto('Mittente')),
    f('soggettoVersante', r.versante, '?'),
    f('soggettoPagatore', r.pagatore),
    f(
      'datiRevoca',
      group(
        f('importoTotaleRevocato', amount()),
        f('identificativoUnivocoVersamento', t35),
        f('codiceContestoPagamento', t35),
        f('tipoRevoca', oneOf(TIPO_REVOCA), '?'),
        f(
          'datiSingolaRevoca',
          group(f('singoloImportoRevocato', amount()), f('identificativoUnivocoRiscossione', t35), f('causaleRevoca', t140), f('datiAggiuntiviRevoca', t140)),
          '1..5',
        ),
      ),
    ),
  ),
};

export const ER_SHAPE: DocShape = {
  doc: 'ER',
  root: 'ER',
  ns: NS_OLD.revoche,
  content: group(
    f('versioneOggetto', t16),
    f('dominio', dominio),
    f('identificativoMessaggioEsito', t35),
    f('dataOraMessaggioEsito', dateTime),
    f('riferimentoMessaggioRevoca', t35),
    f('riferimentoDataRevoca', date),
    f('istitutoAttestante', r.istituto('Mittente')),
    f('soggettoVersante', r.versante, '?'),
    f('soggettoPagatore', r.pagatore),
    f(
      'datiRevoca',
      group(
        f('importoTotaleRevocato', amount()),
        f('identificativoUnivocoVersamento', t35),
        f('codiceContestoPagamento', t35),
        f(
          'datiSingolaRevoca',
          group(f('singoloImportoRevocato', amount()), f('identificativoUnivocoRiscossione', t35), f('causaleEsito', t140), f('datiAggiuntiviEsito', t140)),
          '1..5',
        ),
      ),
    ),
  ),
};

// ---------- ackRT ----------

const upTo = (n: number) => text(n, 0);

export const ACK_SHAPE: DocShape = {
  doc: 'ACK',
  root: 'ACK',
  ns: NS_OLD.ack,
  content: group(
    f('identificativoACK', upTo(35)),
    f('dataOraACK', dateTime),
    f('mittenteACK', upTo(25)),
    f(
      'datiMessaggioReferenziato',
      group(
        f('identificativoDominio', upTo(35)),
        f('identificativoUnivocoVersamento', upTo(35)),
        f('codiceContestoPagamento', upTo(35)),
        f('identificativoMessaggioReferenziato', upTo(35)),
        f('dataOraMessaggioReferenziato', dateTime),
        f('tipologiaMessaggioReferenziato', oneOf(['RPT', 'RT'])),
        f('mittenteMessaggioReferenziato', upTo(25)),
      ),
    ),
    f(
      'informazioniStatoMessaggioReferenziato',
      group(
        f('statoMessaggioReferenziato', oneOf(['ACTC', 'RJCT'])),
        f('motivazioneStatoErrato', group(f('codiceErrore', upTo(10)), f('elementoReferenziato', upTo(140), '?'), f('InformazioniAggiuntive', upTo(140), '0..*')), '?'),
      ),
    ),
  ),
};
