import { z } from 'zod';
import { defineEndpoint } from './define';

export const examplesEndpoints = [
  defineEndpoint({
    name: 'examples.webDaw',
    method: 'GET',
    path: '/examples/web-daw',
    summary: 'An example web DAW built on @codette/client: pairing, chat, transport both ways, WAV analysis',
    description:
      'One self-contained page (the client and the page script inlined). A copy served from another origin names ' +
      'the server with `?codette=http://127.0.0.1:8000` and asks the user for access first (POST /api/access).',
    tag: 'service',
    responses: { 200: z.string() },
    answer: 'html',
    errors: [],
  }),
] as const;
