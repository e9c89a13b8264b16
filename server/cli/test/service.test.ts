import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../config';
import { PROJECT_ROOT } from '../../paths';
import { freePort } from '../../test/helpers';
import {
  launchdPlist,
  serviceCommand,
  serviceTarget,
  systemdUnit,
  windowsTaskXml,
  type ServiceCommand,
} from '../service';

const command: ServiceCommand = {
  node: '/opt/node 20/bin/node',
  entry: '/home/ana/.npm-global/lib/node_modules/codette/dist/codette.mjs',
  args: ['--port', '8010', '--data-dir', '/home/ana/My Music/codette 100%'],
  dataDir: '/home/ana/My Music/codette 100%',
};
const argv = [command.node, command.entry, 'start', ...command.args];

/** Python's own parsers read the files as launchd and Task Scheduler would (plist and XML semantics, not our regexes). */
const python = (code: string, input: string) =>
  JSON.parse(execFileSync('python3', ['-c', code], { input, encoding: 'utf8' })) as unknown;

describe('login service files', () => {
  it('systemd: a user unit that systemd-analyze accepts, running codette start with the flags, restarted on failure', () => {
    // systemd-analyze checks that the executable exists: this Node, with the odd paths in the arguments.
    const unit = systemdUnit({ ...command, node: process.execPath });
    const dir = mkdtempSync(join(tmpdir(), 'codette-unit-'));
    const file = join(dir, 'codette.service');
    writeFileSync(file, unit);
    // Exit 0 and no complaint: the unit parses, the executable is absolute, the sections and keys are known.
    expect(
      execFileSync('systemd-analyze', ['verify', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ).toBe('');
    expect(unit).toContain(
      `ExecStart="${process.execPath}" "/home/ana/.npm-global/lib/node_modules/codette/dist/codette.mjs" "start" "--port" "8010" "--data-dir" "/home/ana/My Music/codette 100%%"`,
    );
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
  });

  it("systemd: the ExecStart and Environment of the unit, read back with systemd's quoting, start a server that stops on KillSignal", async () => {
    execFileSync(process.execPath, ['server/scripts/build.mjs', '--quiet'], { cwd: PROJECT_ROOT });
    const port = await freePort();
    const dataDir = join(mkdtempSync(join(tmpdir(), 'codette-unit-run-')), 'odd $dir 100%');
    const unit = systemdUnit({
      node: process.execPath,
      entry: join(PROJECT_ROOT, '.output/server/cli.mjs'),
      args: ['--port', String(port), '--data-dir', dataDir],
      dataDir,
    });
    // systemd's rules for these lines: double-quoted words, \\ and \" escapes, %% for %, $$ for $.
    const words = (line: string) =>
      [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
        m[1]!.replace(/\\(.)/g, '$1').replace(/%%/g, '%').replace(/\$\$/g, '$'),
      );
    const [exec, ...args] = words(/^ExecStart=(.*)$/m.exec(unit)![1]!);
    const [assignment] = words(/^Environment=(.*)$/m.exec(unit)![1]!);
    const [name, value] = [
      assignment!.slice(0, assignment!.indexOf('=')),
      assignment!.slice(assignment!.indexOf('=') + 1),
    ];
    expect(value).toBe(dataDir);
    const child = spawn(exec!, args, {
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), [name]: value },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 20_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error("the unit's command did not start a server");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(dataDir, 'codette.db'))).toBe(true);
    child.kill(/^KillSignal=(\w+)$/m.exec(unit)![1] as NodeJS.Signals);
    expect(await exited).toBe(0);
  });

  it('launchd: an agent plist that runs at load with the same arguments', () => {
    const plist = python(
      'import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.read().encode())))',
      launchdPlist(command),
    ) as Record<string, unknown>;
    expect(plist).toMatchObject({
      Label: 'dev.codette.server',
      ProgramArguments: argv,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
    });
    expect(plist.EnvironmentVariables).toEqual({ CODETTE_DATA_DIR: command.dataDir });
  });

  it('Windows: a task at logon whose arguments split back into the same words', () => {
    const text = windowsTaskXml(command, 'ana');
    const task = python(
      `import sys,json,xml.etree.ElementTree as ET
ns={'t':'http://schemas.microsoft.com/windows/2004/02/mit/task'}
r=ET.fromstring(sys.stdin.read().replace('encoding="UTF-16"',''))
print(json.dumps({'command':r.find('t:Actions/t:Exec/t:Command',ns).text,'arguments':r.find('t:Actions/t:Exec/t:Arguments',ns).text,
'user':r.find('t:Triggers/t:LogonTrigger/t:UserId',ns).text,'limit':r.find('t:Settings/t:ExecutionTimeLimit',ns).text}))`,
      text,
    ) as { command: string; arguments: string; user: string; limit: string };
    expect(task.command).toBe(command.node);
    expect(task.user).toBe('ana');
    expect(task.limit).toBe('PT0S');
    // CommandLineToArgvW's rules for quoted words (none of these have quotes or trailing backslashes).
    const words = [...task.arguments.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
    expect(words).toEqual(argv.slice(1));
    const bytes = serviceTarget('win32', command, '/home/ana', 'ana').content as Buffer;
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(text);
  });

  it('each platform writes its file where its service manager looks', () => {
    expect(serviceTarget('linux', command, '/home/ana').file).toBe('/home/ana/.config/systemd/user/codette.service');
    expect(serviceTarget('darwin', command, '/Users/ana', 'ana', 501)).toMatchObject({
      file: '/Users/ana/Library/LaunchAgents/dev.codette.server.plist',
      install: [['launchctl', 'bootstrap', 'gui/501', '/Users/ana/Library/LaunchAgents/dev.codette.server.plist']],
    });
    expect(serviceTarget('win32', command, 'C:/Users/ana', 'ana').install[0]).toEqual([
      'schtasks',
      '/Create',
      '/TN',
      'Codette',
      '/XML',
      join(command.dataDir, 'codette-task.xml'),
      '/F',
    ]);
  });
});

describe('codette service install|uninstall|status (systemd, with the commands recorded)', () => {
  const setup = () => {
    const home = mkdtempSync(join(tmpdir(), 'codette-home-'));
    const settings = loadSettings({ CODETTE_DATA_DIR: join(home, 'data') });
    const calls: string[][] = [];
    return {
      home,
      settings,
      calls,
      base: { entry: '/x/codette.mjs', settings, serverFlags: [], env: {}, platform: 'linux' as const, home },
    };
  };

  it('install writes the unit, reloads systemd and enables it now; uninstall disables and removes it', async () => {
    const { home, calls, base } = setup();
    const installed = await serviceCommand('install', {
      ...base,
      run: (a) => (calls.push(a), { code: 0, output: '' }),
    });
    expect(installed.code).toBe(0);
    const file = join(home, '.config/systemd/user/codette.service');
    expect(readFileSync(file, 'utf8')).toContain(`"--data-dir" "${join(home, 'data')}"`);
    expect(calls).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', 'codette.service'],
    ]);
    expect(
      (await serviceCommand('status', { ...base, run: () => ({ code: 0, output: 'active (running)' }) })).lines,
    ).toContain('active (running)');
    calls.length = 0;
    expect(
      (await serviceCommand('uninstall', { ...base, run: (a) => (calls.push(a), { code: 0, output: '' }) })).code,
    ).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(calls[0]).toEqual(['systemctl', '--user', 'disable', '--now', 'codette.service']);
    expect((await serviceCommand('status', base)).code).toBe(3);
  });

  it('without a systemd user session (this container) the unit is written and the person is told what failed', async () => {
    const { base } = setup();
    const out = await serviceCommand('install', {
      ...base,
      run: ([cmd]) => ({ code: 1, output: `${cmd}: Failed to connect to bus: No medium found` }),
    });
    expect(out.code).toBe(1);
    expect(out.lines.join('\n')).toMatch(
      /Wrote .*codette\.service, but `systemctl --user daemon-reload` failed: .*Failed to connect to bus/,
    );
    expect(out.lines.join('\n')).toContain('systemctl --user enable --now codette.service');
  });
});
