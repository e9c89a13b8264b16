import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../../shared/schemas/settings';
import { loadSettings, SettingsError, type Settings } from '../config';
import { StartError } from '../start';
import { VERSION } from '../version';
import * as commands from './commands';
import type { Outcome } from './commands';
import { formatChecks, runChecks } from './doctor';
import { serve, serveDetached } from './serve';
import { serviceCommand } from './service';
import { browserHostCheck, installBrowserHost, runNativeHost } from './browser-host';

export const USAGE = `Usage: codette [command] [options]

Commands:
  start (default)        run the server here (Ctrl+C stops it); --detach: in the background
  status                 is it running, where, and how it is
  stop                   stop the server running on this data directory
  logs [-n 50] [-f]      the last lines of the log file (-f: keep following)
  doctor                 check everything Codette needs and say what to fix
  backup                 back up the database now (into <data dir>/backups)
  restore FILE           put a backup in place of the database (the server must be stopped)
  service install|uninstall|status
                         start Codette at login (systemd user unit, launchd agent, Windows scheduled task)
  install-browser-host   let the extension start Codette (native messaging host for Chrome, Chromium, Edge, Firefox)

Options:
  --port 8000  --host 127.0.0.1  --data-dir ~/.codette  --log-level warn|info|debug
  --version, --help
Every option has an environment variable (CODETTE_PORT, CODETTE_HOST, CODETTE_DATA_DIR, CODETTE_LOG_LEVEL).`;

export interface ParsedArgs {
  command: string;
  rest: string[];
  host?: string;
  port?: string;
  dataDir?: string;
  logLevel?: LogLevel;
  detach: boolean;
  lines: number;
  follow: boolean;
  version: boolean;
  help: boolean;
  /** The server flags as given, to pass on to a detached start. */
  serverFlags: string[];
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        detach: { type: 'boolean' },
        lines: { type: 'string', short: 'n' },
        follow: { type: 'boolean', short: 'f' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new SettingsError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const level = values['log-level'];
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new SettingsError(`--log-level ${level} is not a level: use one of ${LOG_LEVELS.join(', ')}.`);
  }
  const lines = values.lines === undefined ? 50 : Number(values.lines);
  if (!Number.isInteger(lines) || lines < 0) throw new SettingsError(`-n ${values.lines} is not a number of lines.`);
  const serverFlags: string[] = [];
  for (const [flag, value] of [
    ['--host', values.host],
    ['--port', values.port],
    ['--data-dir', values['data-dir']],
    ['--log-level', level],
  ] as const) {
    if (value !== undefined) serverFlags.push(flag, value);
  }
  return {
    command: positionals[0] ?? 'start',
    rest: positionals.slice(1),
    host: values.host,
    port: values.port,
    dataDir: values['data-dir'],
    logLevel: level as LogLevel | undefined,
    detach: values.detach ?? false,
    lines,
    follow: values.follow ?? false,
    version: values.version ?? false,
    help: values.help ?? false,
    serverFlags,
  };
}

function print(outcome: Outcome): number {
  if (outcome.lines.length)
    (outcome.code === 1 ? process.stderr : process.stdout).write(outcome.lines.map((l) => `${l}\n`).join(''));
  return outcome.code;
}

/** Runs one command; resolves with the exit code (the server's own start resolves once it listens, and keeps running). */
export async function main(
  argv: string[],
  entry: string,
  env: Record<string, string | undefined> = process.env,
): Promise<number | 'serving'> {
  if (argv[0] === 'native-host') {
    // Run by the browser: our flags, then `--` and the browser's own arguments (the caller's origin...), ignored.
    const end = argv.indexOf('--');
    const host = parseCommandLine(argv.slice(1, end < 0 ? undefined : end));
    const settings = loadSettings(env, { host: host.host, port: host.port, dataDir: host.dataDir });
    return runNativeHost(settings, host.serverFlags, entry);
  }
  const args = parseCommandLine(argv);
  if (args.help) return print({ code: 0, lines: [USAGE] });
  if (args.version || args.command === 'version') return print({ code: 0, lines: [`codette ${VERSION}`] });
  const settings: Settings = loadSettings(env, { host: args.host, port: args.port, dataDir: args.dataDir });
  const askedLevel = args.logLevel ?? (env.CODETTE_LOG_LEVEL ? settings.logLevel : undefined);
  switch (args.command) {
    case 'start':
      if (args.detach)
        return print({ code: 0, lines: [(await serveDetached(settings, entry, args.serverFlags)).line] });
      await serve(settings, askedLevel, { ...env });
      return 'serving';
    case 'status':
      return print(await commands.status(settings));
    case 'stop':
      return print(await commands.stop(settings));
    case 'logs':
      return print(await commands.logs(settings, args.lines, args.follow, (t) => process.stdout.write(t)));
    case 'doctor':
      return print(formatChecks(await runChecks(settings, [browserHostCheck(env)])));
    case 'backup':
      return print(await commands.backup(settings));
    case 'restore':
      return print(await commands.restore(settings, args.rest[0]));
    case 'service':
      return print(await serviceCommand(args.rest[0], { entry, settings, serverFlags: args.serverFlags, env }));
    case 'install-browser-host':
      return print(
        installBrowserHost({ entry, settings, env, extensionIds: args.rest, serverFlags: args.serverFlags }),
      );
    default:
      throw new SettingsError(`Unknown command "${args.command}".\n${USAGE}`);
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof SettingsError || error instanceof StartError) return error.message;
  return `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
