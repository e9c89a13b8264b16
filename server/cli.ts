import { createLogger } from './log';
import { loadSettings, parseCli, SettingsError, USAGE } from './config';
import { ensureDataDir, startServer, StartError } from './start';

const SHUTDOWN_DEADLINE_MS = 4500;

function fail(message: string): never {
  process.stderr.write(`codette: ${message}\n`);
  process.exit(1);
}

async function main() {
  const cli = parseCli(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const settings = loadSettings(process.env, cli);
  ensureDataDir(settings.dataDir);
  const log = createLogger(settings.logLevel);
  const running = await startServer(settings, log, { env: { ...process.env } });
  process.stdout.write(
    [
      `Codette ${running.services.version} is listening on ${running.url}`,
      `  API reference  ${running.url}/docs`,
      `  data directory ${settings.dataDir}`,
      `  database       ${running.services.store.kind} (${running.services.store.location})`,
      `  log level      ${settings.logLevel}${settings.token ? ' · token required' : ''}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => {
      log.error('shutdown took too long; exiting anyway', { deadline_ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await running.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof StartError) fail(error.message);
  fail(`unexpected error at start: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
});
