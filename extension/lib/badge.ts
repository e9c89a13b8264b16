import type { ConnectionStatus } from './connection';

export interface Badge {
  text: string;
  color: string;
  level: 'green' | 'amber' | 'red';
}

/** The toolbar badge: green when connected, amber when degraded or messages wait, red when offline. */
export function badgeFor(status: ConnectionStatus): Badge {
  if (status.phase === 'offline' || (status.phase === 'connecting' && status.attempt > 0)) {
    return { text: status.queue ? String(Math.min(status.queue, 99)) : '!', color: '#d93025', level: 'red' };
  }
  if (status.phase === 'degraded' || status.queue > 0) {
    return { text: status.queue ? String(Math.min(status.queue, 99)) : '~', color: '#f29900', level: 'amber' };
  }
  if (status.phase === 'connecting') return { text: '…', color: '#f29900', level: 'amber' };
  return { text: ' ', color: '#188038', level: 'green' };
}
