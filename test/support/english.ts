// Finds English in a text of the certificate's Italian view. Data quoted from the candidate or the
// spec stays as it came (fault strings in quotes, XML names, codes, identifiers), so those are taken
// out first; what remains must hold no English word. The words listed are English only: none of
// them is also an Italian word (so "a", "in", "no", "come", "data" are not listed).
const ENGLISH = new Set(
  `the is are was were be been being has have had does did not and with from of to for by at into onto than then
  this that these those which what who whom whose when while where why because but or nor if else each every any
  some none only also both either neither same other another such its it's their there here about above below after
  before between within without during until upon should would could cannot might will shall
  answer answers answered answering request requests requested sent sends received receive receives
  refused refuses accepted accepts expected expects missing found seen given taken kept left made
  payment payments notice notices receipt receipts flow flows outcome outcomes amount amounts fee fees
  transfer transfers state status valid invalid error errors check checks checked field fields value values
  message messages body element elements times once twice first second third last next
  never always already still yet again same own one two three four five six seven eight nine ten
  call calls called calling sends read reads written writes lists listed day days hour hours minute minutes
  harness candidate profile declared declares offered offers station channel
  unknown wrong right empty present absent none yes new old late early
  pays paid paying pay settled closed open opened closes reopened duplicate expired
  shows show shown took takes take give gives gave got get gets wait waits waited
  retry retries retried key keys lifetime session sessions broker brokers filter table user users office name names
  number numbers fiscal platform transaction method payer accounting account position positions debt debts
  reservation cumulative settlement progress deadline expiry exhausted queue journal event events signature handling
  refund refunded reversed charged collect collected booked booking delivered delivery deliveries issued issues
  unreachable available unavailable accepted rejected rejects refusal refusals correct correctly twice`.split(/\s+/).filter(Boolean),
);

/** Spans that are data, not sentences: quoted text, XML, codes, identifiers, numbers, URLs, paths. */
const DATA = [
  /"[^"]*"|“[^”]*”|«[^»]*»|(?<![A-Za-zÀ-ÿ])'[^'\s][^']*'/g, // quoted data (the candidate's own words, values)
  /<[^<>]*>/g, // XML element names
  /\bhttps?:\/\/\S+/g,
  /\S*[/_.#{}\[\]=:@]\S*/g, // paths, codes with underscores, dotted names, key=value
  /\b\w*[a-z][A-Z]\w*\b/g, // camelCase identifiers (paGetPayment, noticeNumber)
  /\b[A-Z0-9][A-Z0-9-]*\b/g, // CODES, ids, numbers
  /\b\w*\d\w*\b/g, // words with digits
  /\b\w+(?:-\w+)+\b/g, // hyphenated codes (MAY-if-offered)
];

/** The English words left in `text` once its data is taken out (empty: no English sentence). */
export function englishIn(text: string): string[] {
  let t = text;
  for (const re of DATA) t = t.replace(re, ' ');
  return [...new Set(t.toLowerCase().split(/[^a-zà-ÿ']+/).filter((w) => ENGLISH.has(w)))];
}
