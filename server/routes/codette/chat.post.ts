import { ChatRequest, ChatResponse } from '../../../shared/schemas/chat';
import { ClientMessageId } from '../../../shared/schemas/ws';
import { defineRoute } from '../../http/route';
import { validate } from '../../http/body';
import { toApiError } from '../../http/errors';
import { resolveUserId } from '../../users';

const encoder = new TextEncoder();
const sse = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

export default defineRoute({
  method: 'POST',
  path: '/codette/chat',
  summary:
    'Ask Codette: an answer grounded in its knowledge, with sources, a confidence, transport actions it applied and follow-ups',
  description:
    'With `Accept: text/event-stream` the answer streams: `delta` events ({text}), then one `reply` event (the ChatResponse), or an `error` event. ' +
    'An `Idempotency-Key` header makes a retry return the stored answer without applying its actions again.',
  tag: 'chat',
  body: ChatRequest,
  response: ChatResponse,
  errors: [400, 404, 413, 415],
  handler: async ({ event, services, body }) => {
    const key = event.req.headers.get('idempotency-key');
    const clientId = key === null ? undefined : validate(ClientMessageId, key, 'params');
    const userId = await resolveUserId(event, services);
    if (!(event.req.headers.get('accept') ?? '').includes('text/event-stream')) {
      return (await services.chat.handle(body, { userId, clientId })).reply;
    }
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          const { reply } = await services.chat.handle(body, {
            userId,
            clientId,
            onDelta: (text) => controller.enqueue(sse('delta', { text })),
          });
          controller.enqueue(sse('reply', reply));
        } catch (error) {
          const { api } = toApiError(error);
          controller.enqueue(sse('error', { error: { code: api.code, message: api.message } }));
        }
        controller.close();
      },
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    });
  },
});
