import { api } from '../../../shared/api/index';
import { implement } from '../../http/route';
import { webDawPage } from '../../examples/web-daw-page';

export default implement(api['examples.webDaw'], async () => {
  const page = await webDawPage();
  return new Response(page.html, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp },
  });
});
