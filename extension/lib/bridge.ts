import { browser } from 'wxt/browser';
import { useCodetteStore } from '../stores/codette';
import { UI_PORT, type FromUi, type ToUi } from './messages';

/** Connects a page (side panel, popup) to the background, and reconnects if the worker restarts. */
export function connectBridge(view: 'sidepanel' | 'popup' | 'options'): void {
  const store = useCodetteStore();
  let port = open();
  function open() {
    const p = browser.runtime.connect({ name: UI_PORT });
    p.onMessage.addListener((msg: unknown) => store.receive(msg as ToUi));
    p.onDisconnect.addListener(() => {
      // The worker was stopped or restarted: connect again, which also wakes it.
      setTimeout(() => {
        port = open();
      }, 200);
    });
    p.postMessage({ type: 'hello', view } satisfies FromUi);
    return p;
  }
  store.connect((msg) => {
    try {
      port.postMessage(msg);
    } catch {
      port = open();
      port.postMessage(msg);
    }
  });
}
