/** The group-commit queue on its own, with a fake transaction runner and hand-driven timers. */
import { describe, expect, it } from 'vitest';
import { GroupCommit, LOCK_RETRY_FIRST_MS, LOCK_RETRY_MAX_MS, type TransactionRunner } from '../group-commit';

class Busy extends Error {}

/** A runner that records transactions, can be locked by "another process", and can lose its transaction. */
function fakeRunner() {
  const log: string[] = [];
  let open = false;
  const state = { locked: false, log, transactions: 0 };
  const runner: TransactionRunner = {
    immediate(fn) {
      if (state.locked) throw new Busy('locked');
      open = true;
      state.transactions += 1;
      try {
        const value = fn();
        log.push('commit');
        return value;
      } finally {
        open = false;
      }
    },
    nested(fn) {
      return fn(); // the fake has no savepoints: a throwing write wrote nothing here
    },
    inTransaction: () => open,
  };
  return { runner, state, close: () => (open = false) };
}

function manualTimers() {
  const turns: (() => void)[] = [];
  const timeouts = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  return {
    timers: {
      nextTurn: (fn: () => void) => void turns.push(fn),
      setTimeout: (fn: () => void, ms: number) => {
        timeouts.set(next, { fn, ms });
        return next++;
      },
      clearTimeout: (h: unknown) => void timeouts.delete(h as number),
    },
    runTurn: () => turns.splice(0).forEach((f) => f()),
    delays: () => [...timeouts.values()].map((t) => t.ms),
    fireTimeouts: () => {
      const all = [...timeouts.values()];
      timeouts.clear();
      all.forEach((t) => t.fn());
    },
  };
}

function queue(options: { busyTimeoutMs?: number; now?: () => number } = {}) {
  const fake = fakeRunner();
  const clock = manualTimers();
  const q = new GroupCommit({
    runner: fake.runner,
    busyTimeoutMs: options.busyTimeoutMs ?? 1000,
    isBusy: (e) => e instanceof Busy,
    toError: (e, doing) => new Error(`${doing}: ${(e as Error).message}`),
    lockedAtClose: (doing) => new Error(`${doing}: still locked at close`),
    now: options.now ?? (() => 0),
    timers: clock.timers,
  });
  return { q, fake, clock };
}

describe('group commit queue', () => {
  it('writes asked for in one turn share one transaction and resolve after its commit, in order', async () => {
    const { q, fake, clock } = queue();
    const order: number[] = [];
    const writes = [1, 2, 3].map((n) => q.write(`w${n}`, () => (order.push(n), n * 10)));
    expect(fake.state.transactions).toBe(0); // nothing before the next turn
    clock.runTurn();
    expect(await Promise.all(writes)).toEqual([10, 20, 30]);
    expect(order).toEqual([1, 2, 3]);
    expect(fake.state.transactions).toBe(1);
    expect(q.stats).toEqual({ writes: 3, commits: 1 });
  });

  it('a failing write is rejected alone with its own error; the others of the batch commit', async () => {
    const { q, clock } = queue();
    const ok = q.write('first', () => 'a');
    const bad = q.write('second', () => {
      throw new Error('refused');
    });
    const after = q.write('third', () => 'c');
    clock.runTurn();
    await expect(bad).rejects.toThrow('second: refused');
    expect([await ok, await after]).toEqual(['a', 'c']);
    expect(q.stats).toEqual({ writes: 3, commits: 1 });
  });

  it('an error that ends the whole transaction fails every write of the batch', async () => {
    const { q, fake, clock } = queue();
    const a = q.write('a', () => 1);
    const b = q.write('b', () => {
      fake.close(); // like a full disk: SQLite rolled the transaction back
      throw new Error('disk full');
    });
    clock.runTurn();
    await expect(a).rejects.toThrow('a: disk full');
    await expect(b).rejects.toThrow('b: disk full');
    expect(q.stats.commits).toBe(0);
  });

  it("waits for another process's lock with growing pauses, then commits what waited, in order", async () => {
    const { q, fake, clock } = queue();
    fake.state.locked = true;
    const first = q.write('first', () => 1);
    const second = q.write('second', () => 2);
    clock.runTurn();
    expect(clock.delays()).toEqual([LOCK_RETRY_FIRST_MS]);
    const third = q.write('third', () => 3); // joins the waiting queue, no extra turn while the timer runs
    clock.runTurn();
    clock.fireTimeouts();
    expect(clock.delays()).toEqual([LOCK_RETRY_FIRST_MS * 2]);
    for (let i = 0; i < 10; i++) clock.fireTimeouts();
    expect(clock.delays()).toEqual([LOCK_RETRY_MAX_MS]);
    fake.state.locked = false;
    clock.fireTimeouts();
    expect(await Promise.all([first, second, third])).toEqual([1, 2, 3]);
    expect(q.stats).toEqual({ writes: 3, commits: 1 });
  });

  it('fails a write as locked once its own deadline passes, and keeps the younger ones waiting', async () => {
    let now = 0;
    const { q, fake, clock } = queue({ busyTimeoutMs: 100, now: () => now });
    fake.state.locked = true;
    const old = q.write('old', () => 1);
    clock.runTurn();
    now = 60;
    const young = q.write('young', () => 2);
    now = 120;
    clock.fireTimeouts();
    await expect(old).rejects.toThrow('old: locked');
    expect(q.pending).toBe(1);
    fake.state.locked = false;
    clock.fireTimeouts();
    expect(await young).toBe(2);
  });

  it('close runs what is queued and fails what is still locked out', async () => {
    const { q, fake } = queue();
    const queued = q.write('queued', () => 'done');
    q.close();
    expect(await queued).toBe('done');
    const { q: q2, fake: f2, clock } = queue();
    f2.state.locked = true;
    const stuck = q2.write('stuck', () => 1);
    clock.runTurn();
    q2.close();
    await expect(stuck).rejects.toThrow('stuck: still locked at close');
    expect(fake.state.transactions).toBe(1);
  });
});
