/** Words that carry no subject: left out when judging how well an entry covers a question. */
const FILLER = new Set(
  (
    'a an the and or but if of at by for with about to from in on off over under into is are was were be been being do does did ' +
    'i me my we our you your it its they them this that these those what which who how why when where can could should would will ' +
    'just really very so too any some more most much many get got make made use using need want like good best better way ways tips ' +
    'help please thanks there here than then also not no yes ok okay hey hi song track mix mixing'
  ).split(' '),
);

/** A light stem, close enough to match "compressing" with "compression" and "vocals" with "vocal". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ers', 'er', 'ies', 'es', 's', 'ed', 'ly']) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

export function contentTerms(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!FILLER.has(m[0])) out.add(stem(m[0]));
  }
  return [...out];
}
