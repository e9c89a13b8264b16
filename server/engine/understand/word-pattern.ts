/** Regular expressions built from readable word lists, so a long alternation stays a list a person can edit. */

/** `(?:a|b|c)`: the alternatives may themselves be small patterns ("levels?", "analy[sz]e"). */
export const oneOf = (alternatives: readonly string[]): string => `(?:${alternatives.join('|')})`;

/** Any of the alternatives as whole words; `flags` as for RegExp (input is expected in lower case). */
export const wordsPattern = (alternatives: readonly string[], flags = ''): RegExp =>
  new RegExp(`\\b${oneOf(alternatives)}\\b`, flags);
