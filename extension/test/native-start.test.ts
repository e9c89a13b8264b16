import { describe, expect, it } from 'vitest';
import { NATIVE_HOST_NAME } from '../../shared/schemas/native-host';
import { startCodetteNatively, type SendNative } from '../lib/native-start';

describe('Start Codette through the native messaging host', () => {
  it('asks the host to start Codette and returns where it listens', async () => {
    const calls: [string, unknown][] = [];
    const send: SendNative = async (host, message) => {
      calls.push([host, message]);
      return { ok: true, running: true, started: true, url: 'http://127.0.0.1:8000', version: '0.1.0' };
    };
    expect(await startCodetteNatively(send)).toEqual({ ok: true, url: 'http://127.0.0.1:8000', started: true });
    expect(calls).toEqual([[NATIVE_HOST_NAME, { type: 'start' }]]);
  });

  it('tells a host that is not installed (Chrome and Firefox wordings) from one that refuses this extension', async () => {
    const failing =
      (message: string): SendNative =>
      async () => {
        throw new Error(message);
      };
    expect(await startCodetteNatively(failing('Specified native messaging host not found.'))).toMatchObject({
      ok: false,
      reason: 'not_installed',
    });
    expect(await startCodetteNatively(failing('No such native application dev.codette.host'))).toMatchObject({
      ok: false,
      reason: 'not_installed',
    });
    expect(
      await startCodetteNatively(failing('Access to the specified native messaging host is forbidden.')),
    ).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(await startCodetteNatively(failing('Native host has exited.'))).toEqual({
      ok: false,
      reason: 'failed',
      detail: 'Native host has exited.',
    });
  });

  it('passes on the reason the host gives, and refuses an answer of another shape', async () => {
    expect(
      await startCodetteNatively(async () => ({
        ok: false,
        running: false,
        error: 'Port 8000 on 127.0.0.1 is already in use.',
      })),
    ).toEqual({
      ok: false,
      reason: 'failed',
      detail: 'Port 8000 on 127.0.0.1 is already in use.',
    });
    expect(await startCodetteNatively(async () => 'hello')).toMatchObject({ ok: false, reason: 'failed' });
  });
});
