import { z } from 'zod';
import { ClientMessageId } from '../schemas/ws';

/** `Idempotency-Key`: a retry with the same key gets the first answer and changes nothing again. */
export const IdempotencyHeaders = z.object({ 'idempotency-key': ClientMessageId.optional() });
