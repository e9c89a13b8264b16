import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticsStatus } from '../../shared/schemas/diagnostics';
import { ImportResult } from '../../shared/schemas/backup';
import { UserExport } from '../../shared/schemas/persistence';
import { postJson, startTestServer, type TestServer } from './helpers';

let source: TestServer;
let target: TestServer;
let exported: UserExport;
let exportText: string;

beforeAll(async () => {
  source = await startTestServer();
  target = await startTestServer();
  for (const message of ['how do I EQ a kick?', 'and compress vocals?']) {
    const res = await source.json<{ session_id: string }>('/codette/chat', postJson({ message }));
    expect(res.status).toBe(200);
  }
  const res = await source.fetch('/codette/export');
  exportText = await res.text();
  exported = UserExport.parse(JSON.parse(exportText));
  expect(exported.messages.length).toBe(4);
});
afterAll(async () => {
  await source?.close();
  await target?.close();
});

const importText = (text: string) =>
  target.fetch('/codette/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
const targetExport = async () => {
  const {
    user_id: _u,
    exported_at: _e,
    ...rows
  } = UserExport.parse(await (await target.fetch('/codette/export')).json());
  return rows;
};

describe('POST /codette/import', () => {
  it('refuses a file cut short, a field out of shape, or rows pointing nowhere, naming the problem; nothing is stored', async () => {
    const cut = await importText(exportText.slice(0, Math.floor(exportText.length / 2)));
    expect(cut.status).toBe(400);
    expect(((await cut.json()) as { error: { code: string } }).error.code).toBe('invalid_json');

    const badField = await importText(
      JSON.stringify({
        ...exported,
        messages: [{ ...exported.messages[0], role: 'robot' }, ...exported.messages.slice(1)],
      }),
    );
    expect(badField.status).toBe(400);
    expect(JSON.stringify(await badField.json())).toContain('messages.0.role');

    const partial = await importText(JSON.stringify({ ...exported, sessions: exported.sessions.slice(1) }));
    expect(partial.status).toBe(400);
    const partialBody = JSON.stringify(await partial.json());
    expect(partialBody).toMatch(/messages\.\d\.session_id/);
    expect(partialBody).toContain('is the file complete?');

    const missingList = await importText(JSON.stringify({ ...exported, files: undefined }));
    expect(missingList.status).toBe(400);
    expect(JSON.stringify(await missingList.json())).toContain('files');

    let deep: unknown = {};
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    const tooDeep = await importText(
      JSON.stringify({ ...exported, messages: [{ ...exported.messages[0], metadata: deep }] }),
    );
    expect(tooDeep.status).toBe(400);
    expect(JSON.stringify(await tooDeep.json())).toContain('messages.0.metadata.a.a');

    const notJson = await target.fetch('/codette/import', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: exportText,
    });
    expect(notJson.status).toBe(415);

    expect(await targetExport()).toEqual({ sessions: [], messages: [], feedback: [], files: [] });
  });

  it('restores an export into another server: the re-export is equal, and importing again adds nothing', async () => {
    const first = await importText(exportText);
    expect(first.status).toBe(200);
    expect(ImportResult.parse(await first.json()).imported).toEqual({
      sessions: 2,
      messages: 4,
      feedback: 0,
      files: 0,
    });
    const { user_id: _u, exported_at: _e, ...rows } = exported;
    expect(await targetExport()).toEqual(rows);

    const second = await importText(exportText);
    expect(ImportResult.parse(await second.json())).toEqual({
      imported: { sessions: 0, messages: 0, feedback: 0, files: 0 },
      skipped: { sessions: 2, messages: 4, feedback: 0, files: 0 },
    });
    expect(await targetExport()).toEqual(rows);
    const sessions = await target.json<{ sessions: { title: string }[] }>('/codette/sessions');
    expect(sessions.body.sessions).toHaveLength(2);
  });
});

describe('GET /api/diagnostics/status: backups', () => {
  it('shows the backup taken at start, in backups/ of the data directory', async () => {
    await target.services.backups.runOnce();
    const { body } = await target.json('/api/diagnostics/status');
    const status = DiagnosticsStatus.parse(body);
    expect(status.backup.mode).toBe('sqlite');
    expect(status.backup.dir).toBe(`${target.services.settings.dataDir}/backups`);
    expect(status.backup.last?.file).toMatch(/\/backups\/codette-.*\.db$/);
    expect(status.backup.last!.bytes).toBeGreaterThan(0);
    expect(status.backup.policy).toEqual({ daily: 7, weekly: 4 });
    expect(status.backup.last_error).toBeNull();
  });
});
