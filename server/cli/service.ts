/**
 * `codette service install|uninstall|status`: start Codette at login, with what each system has for that:
 * a systemd user unit (Linux), a launchd agent (macOS), a scheduled task at logon (Windows).
 * The files are made by pure functions (tested as text); installing runs the system's own tool.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Settings } from '../config';
import type { Outcome } from './commands';
import { LOG_DIR_NAME } from './log-file';

export const SERVICE_NAME = 'codette';
export const LAUNCHD_LABEL = 'dev.codette.server';
export const WINDOWS_TASK_NAME = 'Codette';

/** What the service runs: this Node, this entry file, `start` and the server flags. */
export interface ServiceCommand {
  node: string;
  entry: string;
  args: string[];
  dataDir: string;
}

const commandLine = (c: ServiceCommand) => [c.node, c.entry, 'start', ...c.args];

/** systemd reads `%` specifiers and `$` variables in ExecStart: double them; quote each word. */
const systemdWord = (w: string) =>
  `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;

export function systemdUnit(c: ServiceCommand): string {
  return `[Unit]
Description=Codette companion server (AI production assistant for web DAWs)
After=network.target

[Service]
Type=simple
ExecStart=${commandLine(c).map(systemdWord).join(' ')}
Environment=${systemdWord(`CODETTE_DATA_DIR=${c.dataDir}`)}
Restart=on-failure
RestartSec=5
# Ctrl+C equivalent: the server closes its sockets and flushes within 5 s.
KillSignal=SIGTERM
TimeoutStopSec=10

[Install]
WantedBy=default.target
`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function launchdPlist(c: ServiceCommand): string {
  const log = join(c.dataDir, LOG_DIR_NAME, 'launchd.log');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${commandLine(c)
  .map((w) => `    <string>${xml(w)}</string>`)
  .join('\n')}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
    <key>CODETTE_DATA_DIR</key>
    <string>${xml(c.dataDir)}</string>
  </dict>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>StandardOutPath</key>
  <string>${xml(log)}</string>
  <key>StandardErrorPath</key>
  <string>${xml(log)}</string>
</dict>
</plist>
`;
}

/** Windows command-line quoting for one argument (CommandLineToArgvW rules). */
const windowsArg = (a: string) =>
  /[\s"]/.test(a) || a === '' ? `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"` : a;

export function windowsTaskXml(c: ServiceCommand, user: string): string {
  const [node, ...rest] = commandLine(c);
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Codette companion server (AI production assistant for web DAWs)</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
      <UserId>${xml(user)}</UserId>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${xml(user)}</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>3</Count>
    </RestartOnFailure>
    <Hidden>true</Hidden>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(node!)}</Command>
      <Arguments>${xml(rest.map(windowsArg).join(' '))}</Arguments>
      <WorkingDirectory>${xml(c.dataDir)}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
`;
}

export interface ServiceTarget {
  platform: NodeJS.Platform;
  /** The file written. */
  file: string;
  content: string | Buffer;
  install: string[][];
  uninstall: string[][];
  status: string[];
}

export function serviceTarget(
  platform: NodeJS.Platform,
  c: ServiceCommand,
  home = homedir(),
  user = userInfo().username,
  uid = process.getuid?.() ?? 0,
): ServiceTarget {
  if (platform === 'darwin') {
    const file = join(home, 'Library/LaunchAgents', `${LAUNCHD_LABEL}.plist`);
    return {
      platform,
      file,
      content: launchdPlist(c),
      install: [['launchctl', 'bootstrap', `gui/${uid}`, file]],
      uninstall: [['launchctl', 'bootout', `gui/${uid}/${LAUNCHD_LABEL}`]],
      status: ['launchctl', 'print', `gui/${uid}/${LAUNCHD_LABEL}`],
    };
  }
  if (platform === 'win32') {
    const file = join(c.dataDir, 'codette-task.xml');
    // schtasks reads task XML as UTF-16 with its byte order mark.
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(windowsTaskXml(c, user), 'utf16le')]);
    return {
      platform,
      file,
      content,
      install: [
        ['schtasks', '/Create', '/TN', WINDOWS_TASK_NAME, '/XML', file, '/F'],
        ['schtasks', '/Run', '/TN', WINDOWS_TASK_NAME],
      ],
      uninstall: [['schtasks', '/Delete', '/TN', WINDOWS_TASK_NAME, '/F']],
      status: ['schtasks', '/Query', '/TN', WINDOWS_TASK_NAME],
    };
  }
  const file = join(process.env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd/user', `${SERVICE_NAME}.service`);
  return {
    platform,
    file,
    content: systemdUnit(c),
    install: [
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', `${SERVICE_NAME}.service`],
    ],
    uninstall: [['systemctl', '--user', 'disable', '--now', `${SERVICE_NAME}.service`]],
    status: ['systemctl', '--user', 'status', '--no-pager', `${SERVICE_NAME}.service`],
  };
}

export type Runner = (argv: string[]) => { code: number; output: string };
const runCommand: Runner = ([cmd, ...args]) => {
  const r = spawnSync(cmd!, args, { encoding: 'utf8' });
  return {
    code: r.error ? 127 : (r.status ?? 1),
    output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim(),
  };
};

export interface ServiceOptions {
  entry: string;
  settings: Settings;
  serverFlags: string[];
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
  run?: Runner;
}

export async function serviceCommand(action: string | undefined, o: ServiceOptions): Promise<Outcome> {
  const flags = o.serverFlags.includes('--data-dir')
    ? o.serverFlags
    : [...o.serverFlags, '--data-dir', o.settings.dataDir];
  const target = serviceTarget(
    o.platform ?? process.platform,
    { node: process.execPath, entry: o.entry, args: flags, dataDir: o.settings.dataDir },
    o.home,
  );
  const run = o.run ?? runCommand;
  const steps = (list: string[][]) => {
    for (const argv of list) {
      const r = run(argv);
      if (r.code !== 0) return { argv, ...r };
    }
    return null;
  };
  switch (action) {
    case 'install': {
      mkdirSync(dirname(target.file), { recursive: true });
      writeFileSync(target.file, target.content);
      const failed = steps(target.install);
      if (failed) {
        return {
          code: 1,
          lines: [
            `Wrote ${target.file}, but \`${failed.argv.join(' ')}\` failed: ${failed.output || `exit ${failed.code}`}.`,
            target.platform === 'linux'
              ? 'No systemd user session here (a container, or a login without one)? Run `systemctl --user enable --now codette.service` once one is available.'
              : 'Run that command yourself once the problem is fixed.',
          ],
        };
      }
      return { code: 0, lines: [`Codette will start at login (${target.file}), and runs now.`] };
    }
    case 'uninstall': {
      const failed = existsSync(target.file) ? steps(target.uninstall) : null;
      rmSync(target.file, { force: true });
      if (target.platform === 'linux') run(['systemctl', '--user', 'daemon-reload']);
      return {
        code: 0,
        lines: [
          `Codette no longer starts at login (${target.file} removed)${failed ? `; \`${failed.argv.join(' ')}\` said: ${failed.output}` : ''}.`,
        ],
      };
    }
    case 'status': {
      if (!existsSync(target.file))
        return { code: 3, lines: ['Codette is not installed as a login service (`codette service install` does it).'] };
      const r = run(target.status);
      return {
        code: r.code === 0 ? 0 : 3,
        lines: [`Installed: ${target.file}`, r.output || `(\`${target.status.join(' ')}\` exited ${r.code})`],
      };
    }
    default:
      return { code: 1, lines: ['Usage: codette service install|uninstall|status'] };
  }
}
