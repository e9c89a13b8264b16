/**
 * "Start Codette" from the extension: asks the native messaging host that `codette install-browser-host` registers
 * to start the server (detached) when it is not running. Works from extension pages (popup, side panel), which hold
 * the nativeMessaging permission.
 */
import { browser } from 'wxt/browser';
import { NATIVE_HOST_NAME, NativeHostReply, type NativeHostRequest } from '../../shared/schemas/native-host';

export type NativeStartResult =
  | { ok: true; url: string; started: boolean }
  | { ok: false; reason: 'not_installed' | 'not_allowed' | 'failed'; detail: string };

export type SendNative = (host: string, message: NativeHostRequest) => Promise<unknown>;

const sendThroughBrowser: SendNative = (host, message) => browser.runtime.sendNativeMessage(host, message);

/** Chrome: "Specified native messaging host not found." Firefox: "No such native application …". */
const NOT_INSTALLED = /not found|no such native application/i;
/** Chrome, when the manifest does not list this extension's origin. */
const NOT_ALLOWED = /forbidden/i;

export async function startCodetteNatively(send: SendNative = sendThroughBrowser): Promise<NativeStartResult> {
  let raw: unknown;
  try {
    raw = await send(NATIVE_HOST_NAME, { type: 'start' });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (NOT_INSTALLED.test(detail)) return { ok: false, reason: 'not_installed', detail };
    if (NOT_ALLOWED.test(detail)) return { ok: false, reason: 'not_allowed', detail };
    return { ok: false, reason: 'failed', detail };
  }
  const reply = NativeHostReply.safeParse(raw);
  if (!reply.success)
    return { ok: false, reason: 'failed', detail: 'the Codette host answered something else than expected' };
  if (!reply.data.ok || !reply.data.url)
    return { ok: false, reason: 'failed', detail: reply.data.error ?? 'Codette did not start' };
  return { ok: true, url: reply.data.url, started: reply.data.started ?? false };
}
