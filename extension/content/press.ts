import { parseKey } from './profiles';

/**
 * Pressing things the way a user's mouse and keyboard do, so that apps that listen to pointerdown, mousedown (SoundBox
 * binds onmousedown), mouseup or click all see their event, at the element's centre, with the primary button.
 */
export function press(el: Element): void {
  const view = el.ownerDocument.defaultView;
  const rect = el.getBoundingClientRect();
  const at = { clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2, screenX: 0, screenY: 0 };
  const base = { bubbles: true, cancelable: true, composed: true, view, button: 0, ...at };
  const pointer = { ...base, pointerId: 1, pointerType: 'mouse', isPrimary: true };
  const Pointer = view && 'PointerEvent' in view ? view.PointerEvent : undefined;
  const Mouse = view?.MouseEvent ?? MouseEvent;
  const fire = (type: string, down: boolean) => {
    const buttons = down ? 1 : 0;
    if (type.startsWith('pointer')) {
      if (Pointer) el.dispatchEvent(new Pointer(type, { ...pointer, buttons }));
    } else
      el.dispatchEvent(
        new Mouse(type, { ...base, buttons, detail: type === 'mousemove' || type === 'mouseover' ? 0 : 1 }),
      );
  };
  fire('pointerover', false);
  fire('mouseover', false);
  fire('pointermove', false);
  fire('mousemove', false);
  fire('pointerdown', true);
  fire('mousedown', true);
  if (el instanceof HTMLElement && el.tabIndex >= 0) el.focus({ preventScroll: true });
  fire('pointerup', false);
  fire('mouseup', false);
  // A dispatched click runs the element's activation (a checkbox toggles, a link follows) like a real one.
  el.dispatchEvent(new Mouse('click', { ...base, buttons: 0, detail: 1 }));
}

/** Sets a field the way frameworks notice (the native value setter, then input, change and Enter). */
export function setField(el: Element, value: string): void {
  if (el instanceof HTMLInputElement) {
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
    if (setter) setter.call(el, value);
    else el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
    return;
  }
  el.textContent = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Sends a key to the app: to the focused element unless it is a text field, else to the largest canvas or the body. */
export function pressKey(doc: Document, spec: string): void {
  const k = parseKey(spec);
  const active = doc.activeElement;
  const typing =
    active &&
    (active instanceof HTMLInputElement ||
      active instanceof HTMLTextAreaElement ||
      (active as HTMLElement).isContentEditable);
  let target: Element | null = active && active !== doc.body && !typing ? active : null;
  if (!target) {
    const canvases = Array.from(doc.querySelectorAll('canvas'));
    target = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0] ?? doc.body;
  }
  const init: KeyboardEventInit = { ...k, bubbles: true, cancelable: true, composed: true };
  const legacy = { keyCode: k.keyCode, which: k.keyCode };
  for (const type of ['keydown', 'keyup']) {
    const ev = new KeyboardEvent(type, init);
    // keyCode/which are read-only on real events; older apps still read them.
    for (const [name, value] of Object.entries(legacy)) {
      try {
        Object.defineProperty(ev, name, { get: () => value });
      } catch {
        /* not configurable here */
      }
    }
    target?.dispatchEvent(ev);
  }
}
