import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { toApiError } from '../../http/errors';
import { resolveUserId } from '../../users';

const encoder = new TextEncoder();
const sse = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

export default implement(api['chat.send'], async ({ event, services, body, headers }) => {
  const clientId = headers['idempotency-key'];
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
        const { api: failure } = toApiError(error);
        controller.enqueue(sse('error', { error: { code: failure.code, message: failure.message } }));
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
  });
});
