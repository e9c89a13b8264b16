import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../config';
import { parseCommandLine } from '../cli/main';

describe('settings', () => {
  it('defaults to 127.0.0.1:8000, a data folder in the home directory, and info logs', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      logLevel: 'info',
      cacheTtlSeconds: 300,
      bodyLimitBytes: 1024 * 1024,
    });
    expect(s.dataDir).toMatch(/\.codette$/);
  });

  it('lets flags win over variables', () => {
    const s = loadSettings({ CODETTE_PORT: '9000', CODETTE_DATA_DIR: '/tmp/a' }, { port: '9100', dataDir: '/tmp/b' });
    expect(s.port).toBe(9100);
    expect(s.dataDir).toBe('/tmp/b');
  });

  it("accepts the seed deployment's variable names as fallbacks", () => {
    const s = loadSettings({
      VITE_SUPABASE_URL: 'https://abc.supabase.co',
      VITE_SUPABASE_ANON_KEY: 'anon',
      VITE_CODETTE_API: 'http://127.0.0.1:8010',
    });
    expect(s.port).toBe(8010);
    expect(s.supabase).toMatchObject({
      url: 'https://abc.supabase.co',
      anonKey: 'anon',
      sources: { url: 'VITE_SUPABASE_URL' },
    });
    const preferred = loadSettings({
      SUPABASE_URL: 'https://main.supabase.co',
      VITE_SUPABASE_URL: 'https://abc.supabase.co',
    });
    expect(preferred.supabase.url).toBe('https://main.supabase.co');
  });

  it('refuses to listen beyond loopback', () => {
    expect(() => loadSettings({ CODETTE_HOST: '0.0.0.0' })).toThrow(/not a loopback address/);
    expect(loadSettings({ CODETTE_HOST: '::1' }).host).toBe('::1');
  });

  it('names the variable of a bad value', () => {
    expect(() => loadSettings({ CODETTE_PORT: 'eighty' })).toThrow(/CODETTE_PORT/);
    expect(() => loadSettings({ CODETTE_LOG_LEVEL: 'loud' })).toThrow(/CODETTE_LOG_LEVEL/);
    expect(() => loadSettings({ CODETTE_BODY_LIMIT: 'huge' })).toThrow(/CODETTE_BODY_LIMIT/);
    expect(() => loadSettings({ CODETTE_TOKEN: 'short' })).toThrow(/CODETTE_TOKEN/);
    expect(() => loadSettings({}, { port: '70000' })).toThrow(SettingsError);
  });

  it('reads sizes and lists', () => {
    const s = loadSettings({
      CODETTE_BODY_LIMIT: '512kb',
      CODETTE_ALLOWED_ORIGINS: 'http://localhost:5173/, https://daw.example ',
    });
    expect(s.bodyLimitBytes).toBe(512 * 1024);
    expect(s.allowedOrigins).toEqual(['http://localhost:5173', 'https://daw.example']);
  });

  it('treats empty variables as unset, as a copied .env.example leaves them', () => {
    expect(loadSettings({ SUPABASE_URL: '', CODETTE_PORT: '' }).port).toBe(8000);
  });

  it('rejects unknown flags with the usage', () => {
    expect(() => parseCommandLine(['--prot', '1'])).toThrow(/Usage/);
    expect(parseCommandLine(['--host', '127.0.0.1', '--data-dir', 'x'])).toMatchObject({
      command: 'start',
      host: '127.0.0.1',
      dataDir: 'x',
    });
    expect(parseCommandLine(['restore', 'f.db', '--port', '9'])).toMatchObject({
      command: 'restore',
      rest: ['f.db'],
      serverFlags: ['--port', '9'],
    });
    expect(() => parseCommandLine(['--log-level', 'loud'])).toThrow(/--log-level loud/);
  });
});
