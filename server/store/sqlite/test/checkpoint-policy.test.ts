/** When the checkpoint thread runs: from the first write after open until a quiet minute, never after close. */
import { describe, expect, it } from 'vitest';
import { CheckpointPolicy, QUIET_MS } from '../checkpoint-policy';

function setup() {
  const events: string[] = [];
  let started = 0;
  const timers = new Map<number, () => void>();
  let next = 1;
  const policy = new CheckpointPolicy(
    () => {
      started += 1;
      events.push('start');
      return { close: async () => void events.push('last checkpoint, stop') };
    },
    QUIET_MS,
    {
      setTimeout: (fn) => (timers.set(next, fn), next++),
      clearTimeout: (h) => void timers.delete(h as number),
    },
  );
  const quiet = async () => {
    const all = [...timers.values()];
    timers.clear();
    all.forEach((f) => f());
    await Promise.resolve();
  };
  return { policy, events, started: () => started, pendingTimers: () => timers.size, quiet };
}

describe('checkpoint policy', () => {
  it('starts no thread while the store opens (before enable)', () => {
    const { policy, started } = setup();
    policy.afterWrite();
    expect(started()).toBe(0);
    expect(policy.running).toBe(false);
  });

  it('starts one thread at the first write and keeps it while writes come (one quiet timer, re-armed)', () => {
    const { policy, started, pendingTimers } = setup();
    policy.enable();
    for (let i = 0; i < 5; i++) policy.afterWrite();
    expect(started()).toBe(1);
    expect(pendingTimers()).toBe(1);
    expect(policy.running).toBe(true);
  });

  it('stops the thread after a last checkpoint once a quiet period passes, and starts again at the next write', async () => {
    const { policy, events, quiet } = setup();
    policy.enable();
    policy.afterWrite();
    await quiet();
    expect(policy.running).toBe(false);
    policy.afterWrite();
    expect(events).toEqual(['start', 'last checkpoint, stop', 'start']);
  });

  it('after close, writes start nothing', async () => {
    const { policy, events } = setup();
    policy.enable();
    policy.afterWrite();
    await policy.close();
    policy.afterWrite();
    expect(events).toEqual(['start', 'last checkpoint, stop']);
  });
});
