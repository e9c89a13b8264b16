/** English or French: Codette answers in the language it is asked in. */
export type Lang = 'en' | 'fr';

const FRENCH_WORDS = new Set(
  (
    'le la les un une des du de au aux et ou est sont mon ma mes ton ta tes son sa ses notre votre leur je tu il elle nous vous ils ' +
    'comment pourquoi quoi quel quelle quels quelles quand combien avec pour dans sur sans trop pas plus moins faire fais fait ' +
    "c'est qu'est ce cette ces peux peut dois doit veux voix basse batterie caisse claire grosse réverbe réverbération égaliseur " +
    'compresseur mixage morceau chanson boucle mesures mesure joue lance arrête arrete enregistre accords gamme tonalité son aigus graves ' +
    'médiums très aussi mais donc alors bonjour salut merci stp svp ' +
    'mets met en coupe active reprends remets passe va vas recule avance ralentis lecture rembobine'
  ).split(' '),
);
const ENGLISH_WORDS = new Set(
  'the a an and or is are my your how what why which with for to of in on it this that do does i you can should'.split(
    ' ',
  ),
);

/** French when French function words outnumber English ones, or accents a musician types only in French. */
export function detectLanguage(text: string): Lang {
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  let fr = 0;
  let en = 0;
  for (const raw of words) {
    const w = raw.replace(/^(?:l|d|j|m|t|s|c|qu|n)'/, (p) => {
      fr += 1;
      return p.length ? '' : p;
    });
    if (FRENCH_WORDS.has(w)) fr += 1;
    if (ENGLISH_WORDS.has(w)) en += 1;
  }
  if (/[éèêàùçôîœ]/.test(text)) fr += 1;
  return fr > en ? 'fr' : 'en';
}
