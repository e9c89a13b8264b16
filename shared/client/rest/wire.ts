import { LOCAL_NETWORK_DENIED_MESSAGE, localNetworkDenied } from '../local-network';
import type { CodetteError } from './result';

export interface UploadProgress {
  /** Bytes handed to the network so far. */
  loaded: number;
  /** The body's size, when known. */
  total: number | null;
}

/** An answer whose body can be read whole or as it arrives (for Server-Sent Events). */
export interface RawResponse {
  status: number;
  contentType: string;
  text(): Promise<string>;
  chunks(): AsyncIterable<string>;
}

export interface SendOptions {
  signal?: AbortSignal;
  onUploadProgress?: (progress: UploadProgress) => void;
}

/** Why no answer came: the caller gave up, the browser's Local Network Access refused, or nothing listens there. */
export async function noAnswer(url: string, error: unknown): Promise<CodetteError> {
  if (error instanceof Error && error.name === 'AbortError')
    return { code: 'aborted', status: null, message: 'The call was aborted.' };
  if (await localNetworkDenied(url))
    return { code: 'local_network_denied', status: null, message: LOCAL_NETWORK_DENIED_MESSAGE };
  return {
    code: 'network_error',
    status: null,
    message: `No answer from Codette at ${new URL(url).origin}: is the server running (codette start) and is this its address?`,
  };
}
