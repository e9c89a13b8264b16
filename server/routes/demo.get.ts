import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api } from '../../shared/api/index';
import { implement } from '../http/route';
import { PROJECT_ROOT } from '../paths';

/** The labelled fixture DAW of the extension's end-to-end tests: a real little DAW that plays through Web Audio. */
const DEMO_PAGE = join(PROJECT_ROOT, 'extension/e2e/fixtures/labelled.html');

export default implement(
  api['service.demo'],
  async () =>
    new Response(await readFile(DEMO_PAGE, 'utf8'), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        // The page is self-contained: its own inline script and style, nothing from elsewhere.
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; media-src blob: data:",
      },
    }),
);
