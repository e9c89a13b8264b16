import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/index';
import { CodetteClient, LOCAL_NETWORK_DENIED_MESSAGE } from '../client/index';
import { addressSpaceInit, localNetworkDenied } from '../client/local-network';
import { readSse } from '../client/rest/sse';

/** A public page (https://daw.example.com) in a browser whose loopback permission is `state`. */
function browserPage(state: string, permissionName = 'loopback-network') {
  vi.stubGlobal('location', { origin: 'https://daw.example.com' });
  vi.stubGlobal('navigator', {
    permissions: {
      query: async ({ name }: { name: string }) => {
        if (name !== permissionName) throw new TypeError(`unknown permission ${name}`);
        return { state };
      },
    },
  });
}

const failingFetch = (calls: RequestInit[]): typeof fetch =>
  (async (_url: unknown, init?: RequestInit) => {
    calls.push(init ?? {});
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;

/** A Request constructor as Chrome 142+ has it: its prototype knows `targetAddressSpace`. */
function requestWithAddressSpace() {
  function Request() {}
  Object.defineProperty(Request.prototype, 'targetAddressSpace', { get: () => 'unknown' });
  return Request;
}

afterEach(() => vi.unstubAllGlobals());

describe("Chrome's Local Network Access", () => {
  it('asks for the loopback address space where the browser knows the option, and only for loopback', () => {
    expect(addressSpaceInit('http://127.0.0.1:8000/health')).toEqual({}); // Node's Request has no such field
    vi.stubGlobal('Request', requestWithAddressSpace());
    expect(addressSpaceInit('http://127.0.0.1:8000/health')).toEqual({ targetAddressSpace: 'loopback' });
    expect(addressSpaceInit('http://localhost:8000/health')).toEqual({ targetAddressSpace: 'loopback' });
    expect(addressSpaceInit('https://codette.example.com/health')).toEqual({});
  });

  it('passes targetAddressSpace to fetch on every call', async () => {
    vi.stubGlobal('Request', requestWithAddressSpace());
    const calls: RequestInit[] = [];
    await new CodetteClient({ fetch: failingFetch(calls) }).service.health();
    expect(calls[0]).toMatchObject({ targetAddressSpace: 'loopback' });
  });

  it('tells a denied permission apart from a server that is down, with what to do', async () => {
    browserPage('denied');
    const client = new CodetteClient({ fetch: failingFetch([]) });
    const denied = await client.call(api['service.health'], {});
    expect(denied).toEqual({
      ok: false,
      error: { code: 'local_network_denied', status: null, message: LOCAL_NETWORK_DENIED_MESSAGE },
    });
    expect(LOCAL_NETWORK_DENIED_MESSAGE).toMatch(/Local network access.*Allow.*reload/);

    browserPage('granted');
    expect(await client.service.health()).toMatchObject({ ok: false, error: { code: 'network_error' } });
    browserPage('prompt');
    expect(await client.service.health()).toMatchObject({ ok: false, error: { code: 'network_error' } });
  });

  it('knows the first name of the permission too, and leaves non-web pages and same-origin calls alone', async () => {
    browserPage('denied', 'local-network-access');
    expect(await localNetworkDenied('http://127.0.0.1:8000/health')).toBe(true);
    expect(await localNetworkDenied('https://daw.example.com/api')).toBe(false);
    vi.stubGlobal('location', { origin: 'http://127.0.0.1:8000' });
    expect(await localNetworkDenied('http://127.0.0.1:8000/health')).toBe(false);
    vi.stubGlobal('location', { origin: 'chrome-extension://abcdefghijklmnop' });
    expect(await localNetworkDenied('http://127.0.0.1:8000/health')).toBe(false);
  });
});

describe('Server-Sent Events', () => {
  async function* pieces(text: string, size: number) {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }

  it('reads events cut anywhere between pieces, with CRLF, comments and multi-line data', async () => {
    const stream =
      ': hello\r\nevent: delta\r\ndata: {"text":"Hi"}\r\n\r\n' +
      'event: delta\ndata: {"text":\ndata: " there"}\n\n' +
      'event: reply\ndata: {"done":true}\n\n';
    for (const size of [1, 3, 7, 1000]) {
      const events = [];
      for await (const e of readSse(pieces(stream, size))) events.push(e);
      expect(events).toEqual([
        { event: 'delta', data: '{"text":"Hi"}' },
        { event: 'delta', data: '{"text":\n" there"}' },
        { event: 'reply', data: '{"done":true}' },
      ]);
    }
  });
});
