import { createSupabaseLikePg, addAuthUser } from './test/pg-harness';
import { startPostgrestStandIn } from './test/postgrest-standin';
import { SupabaseStore } from './supabase/store';
const db = await createSupabaseLikePg();
const si = await startPostgrestStandIn(db);
const u = '4f1c7a52-0a0e-4c55-9d1b-6d1d3c1a0001';
await addAuthUser(db, u);
for (const secret of [si.jwtSecret, undefined]) {
const s = new SupabaseStore({ url: si.url, serviceRoleKey: si.serviceRoleKey, jwtSecret: secret });
await s.ping();
console.log(await s.upsertKnowledge([{ id: 'eq.kick-punch', topic: 'kick drum', category: 'eq', title: 'Making a kick drum punchier with EQ', body: 'Boost around 60 Hz for weight and 3-5 kHz for the beater click; cut boxiness near 300-400 Hz so the kick punches through the mix.', parameters: { low_boost_hz: 60 }, tags: ['kick', 'punch', 'low end'] },
  { id: 'comp.vocal', topic: 'vocals', category: 'compression', title: 'Compressing a lead vocal', body: 'Start with a 3:1 ratio, medium attack and release so the vocal sits steadily in the mix without pumping; punchier with faster attack.', parameters: { ratio: 3 }, tags: ['vocal', 'compressor'] }]));
console.log(await s.countKnowledge(), (await s.searchKnowledge('how do I make my kick punchier')).map(h=>[h.id,h.score]), await s.getKnowledge('comp.vocal'));
const sess = await s.createSession(u, { title: 'x' });
console.log(sess, await s.appendMessage(u, { session_id: sess.id, role: 'user', content: 'hi', client_id: 'c1'+secret }));
console.log(await s.listSessions(u), await s.tableStatus(), (await s.rlsPolicies()).tables.length);
try { await s.listMessages(u, '00000000-0000-4000-8000-000000000000'); } catch (e) { console.log(e); }
await s.close();
}
await si.close();
