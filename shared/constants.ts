/** Values both the server and the extension rely on. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;
export const DEFAULT_SERVER_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
/** Bumped when a WebSocket message changes shape in a way old clients cannot read. */
export const PROTOCOL_VERSION = 1;
export const WS_PATH = '/ws';
/** Position ticks while playing: enough for a smooth display, far below the 60 Hz the original pushed to everyone. */
export const DEFAULT_TICK_HZ = 10;
export const TICKS_PER_BEAT = 960;
export const TEMPO_MIN_BPM = 20;
export const TEMPO_MAX_BPM = 400;
export const DEFAULT_BPM = 120;
