/**
 * fast-check arbitraries for fuzzing the server: values that almost fit a route's schema (read from its zod schema
 * through JSON Schema, so that a new field or route is covered without touching the tests), and hostile values
 * (anything, wrong types, huge strings, deep nesting, invalid UTF-8, traversal strings).
 */
import fc from 'fast-check';
import { z } from 'zod';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  default?: unknown;
};

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Strings that have broken servers before: traversal, NUL, CRLF, format strings, prototype keys, homoglyphs, RTL. */
export const nastyString = fc.constantFrom(
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '..\\..\\windows\\win.ini',
  '%00',
  'a\u0000b',
  'line\r\nSet-Cookie: x=1',
  '%s%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'undefined',
  'true',
  '\uFEFF',
  '\u202Egnp.exe',
  'ｌｏｃａｌｈｏｓｔ',
  '\uD800',
  '\uDFFF\uD800',
  '𝄞'.repeat(50),
  "'; drop table messages; --",
  '" OR 1=1 --',
  'NEAR("a" "b")',
  'kick* OR snare AND -',
  '"unterminated',
  '<script>alert(1)</script>',
  'a'.repeat(4001),
);

/** Plausible text with path, query and key separators in it: "compress ../../vocals", "what is a/b? and c". */
export const structuredText = fc
  .tuple(
    fc.constantFrom('compress', 'how do I eq a kick', 'reverb on', 'what is sidechain', 'pop', ''),
    fc.constantFrom(
      ' ../../etc/passwd',
      '/..',
      '/./',
      ' a/../b',
      '? and why',
      '?x=1&y=2',
      ':x:',
      '#frag',
      '\\..\\',
      '%2e%2e/',
      ' */*',
    ),
    fc.constantFrom('', ' vocals', '?', '/'),
  )
  .map(([a, b, c]) => `${a}${b}${c}`.trim() || '..');

const bigString = fc.oneof(
  fc.integer({ min: 5_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => '🎛️'.repeat(n)),
);

/** A JSON-able value nested `depth` levels deep, as an array or an object chain. */
// At most 4000 deep: JSON.stringify itself overflows the stack near 5000 (deeper bodies are built as text instead).
export const deepValue = fc.tuple(fc.integer({ min: 50, max: 4_000 }), fc.boolean()).map(([depth, asArray]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
});

/** Anything JSON can carry, and then some: wrong types, big and nasty strings, deep nesting, odd numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: bigString },
  { weight: 1, arbitrary: deepValue },
  {
    weight: 2,
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, -0.0, [], {}),
  },
  { weight: 1, arbitrary: fc.double() },
);

/** A value that fits the schema, with some chance at every level of being replaced by a hostile one. */
export function nearlyValid(schema: JsonSchema | boolean | undefined, depth = 0): fc.Arbitrary<unknown> {
  const valid = validFor(schema, depth);
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function validFor(schema: JsonSchema | boolean | undefined, depth: number): fc.Arbitrary<unknown> {
  if (schema === undefined || typeof schema === 'boolean' || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validFor(s, depth + 1)));
  if (schema.allOf?.length) return validFor(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => validFor({ ...schema, type: t }, depth)));
  switch (type[0]) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.oneof(
        {
          weight: 3,
          arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
        },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            'kick',
            'vocal',
            'how do I compress a vocal',
            'loop bars 5 to 8',
            'tempo 128',
            'mixing',
            'spotify',
          ),
        },
        // Text that key-value stores, routers and caches read as structure (found a 500 and shared cache entries once).
        { weight: 1, arbitrary: structuredText },
      );
    case 'number':
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e6);
      const lo = Math.min(min, max);
      const hi = Math.max(min, max);
      return type[0] === 'integer'
        ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
        : fc.double({ min: lo, max: hi, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(nearlyValid(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) record[k] = nearlyValid(s, depth + 1);
      const known = fc.record(record, {
        requiredKeys: Object.keys(props).filter((k) => required.has(k) || Math.random() < 0.5),
      });
      const extra =
        schema.additionalProperties && typeof schema.additionalProperties === 'object'
          ? fc.dictionary(fc.string({ maxLength: 20 }), nearlyValid(schema.additionalProperties, depth + 1), {
              maxKeys: 4,
            })
          : fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), nastyString), hostileValue, { maxKeys: 2 });
      return fc.tuple(known, extra, fc.boolean()).map(([k, e, withExtra]) => (withExtra ? { ...e, ...k } : k));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A path parameter: a plausible id, or something made to escape, confuse or overflow the route. */
export const pathParam: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  nastyString,
  fc.constantFrom('play', 'stop', 'tempo', 'loop', 'seek', 'PLAY', 'play.json', 'play/../stop'),
  fc.integer({ min: 300, max: 9_000 }).map((n) => 'p'.repeat(n)),
);

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates encoded, truncated sequences. */
export const invalidUtf8: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      [0x80],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x8e],
    ),
    fc.string({ maxLength: 30 }),
  )
  .map(([a, bad, b]) => new Uint8Array([...Buffer.from(`{"message":"${a}`), ...bad, ...Buffer.from(`${b}"}`)]));
