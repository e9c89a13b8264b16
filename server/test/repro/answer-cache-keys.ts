/**
 * REPRO (server bug, not fixed here): user text is used as an unstorage key in server/cache/answer-cache.ts.
 * unstorage normalises keys (server/node_modules/unstorage normalizeKey): it cuts everything after the first "?",
 * turns "/" and "\" into ":" separators, and throws "[unstorage] Invalid key" for a "." or ".." segment. So:
 *   1. POST /codette/chat {"message":"compress ../../etc/passwd"}                 -> 500 internal_error
 *   2. POST /codette/suggest {"context":{"track_type":"../../x"}}                 -> 500 internal_error
 *   3. two different questions that share the text before "?" get the same cached answer (wrong answer):
 *      "what is sidechain? for kick and bass" then "what is sidechain? explain gain staging"
 * Keys are built in server/engine/chat.ts (#local: `chat:${perspective}:${question}`) and
 * server/routes/codette/suggest.post.ts (`suggest:${JSON.stringify(body)}`-like key).
 *
 *   npx tsx server/test/repro/answer-cache-keys.ts      (exit 1 while the bug is there)
 */
import { startTestServer, postJson } from '../helpers';

const s = await startTestServer({ CODETTE_RATE_LIMIT: '0', CODETTE_LOG_LEVEL: 'silent' });
const failures: string[] = [];
try {
  for (const message of ['compress ../../etc/passwd', 'how do I eq a kick/..', 'reverb on vocals/./snare']) {
    const r = await s.json('/codette/chat', postJson({ message }));
    console.log(`POST /codette/chat ${JSON.stringify({ message })} -> ${r.status}`);
    if (r.status >= 500) failures.push(`chat ${message}: ${r.status}`);
  }
  for (const context of [{ track_type: '../../x' }, { genre: 'lo-fi/../b' }, { stage: 'mixing', metrics: { 'a/./b': 1 } }]) {
    const r = await s.json('/codette/suggest', postJson({ context }));
    console.log(`POST /codette/suggest ${JSON.stringify({ context })} -> ${r.status}`);
    if (r.status >= 500) failures.push(`suggest ${JSON.stringify(context)}: ${r.status}`);
  }
  const first = await s.json<{ response: string }>('/codette/chat', postJson({ message: 'what is sidechain? for kick and bass' }));
  const second = await s.json<{ response: string }>('/codette/chat', postJson({ message: 'what is sidechain? explain gain staging and headroom' }));
  const alone = await s.json<{ response: string }>('/codette/chat', postJson({ message: 'explain gain staging and headroom' }));
  const same = first.body.response === second.body.response;
  console.log(`two different questions with the same text before "?" got ${same ? 'THE SAME cached answer' : 'different answers'}`);
  console.log(`  cache: ${JSON.stringify(s.services.cache.stats())}`);
  if (same && alone.body.response !== first.body.response) failures.push('cache key collision after "?"');
  const mixing = await s.json<{ suggestions: unknown }>('/codette/suggest', postJson({ context: { genre: 'pop?', stage: 'mixing' } }));
  const mastering = await s.json<{ suggestions: unknown }>('/codette/suggest', postJson({ context: { genre: 'pop?', stage: 'mastering' } }));
  const masteringAlone = await s.json<{ suggestions: unknown }>('/codette/suggest', postJson({ context: { genre: 'pop', stage: 'mastering' } }));
  const sameSuggestions = JSON.stringify(mixing.body) === JSON.stringify(mastering.body);
  console.log(`suggest {genre:"pop?", stage:mixing} and {genre:"pop?", stage:mastering}: ${sameSuggestions ? 'THE SAME cached suggestions' : 'different'}`);
  if (sameSuggestions && JSON.stringify(masteringAlone.body) !== JSON.stringify(mixing.body)) failures.push('suggest cache key collision after "?"');
  const unexpected = s.logLines.filter((l) => l.includes('Invalid key'));
  if (unexpected.length) console.log(`server log: ${unexpected[0]}`);
} finally {
  await s.close();
}
console.log(failures.length ? `BUG PRESENT: ${failures.join('; ')}` : 'fixed');
process.exit(failures.length ? 1 : 0);
