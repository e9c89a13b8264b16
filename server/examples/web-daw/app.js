// A small web DAW that embeds Codette through @codette/client. Served by Codette at /examples/web-daw (same origin);
// a copy served elsewhere names the server with ?codette=http://127.0.0.1:8000.
import { createCodetteClient } from '@codette/client';

const $ = (id) => document.getElementById(id);
const serverUrl = new URLSearchParams(location.search).get('codette') ?? location.origin;
const client = createCodetteClient({ baseUrl: serverUrl });
$('server-url').textContent = serverUrl;

/** What the page says when a call fails: the client's sentence, completed with what a musician can do about it. */
function explain(error) {
  switch (error.code) {
    case 'local_network_denied':
      return (
        `${error.message} In Chrome: click the icon left of the address bar, allow "Local network access" ` +
        '(or "Apps on this device"), then press Connect again.'
      );
    case 'network_error':
      return `Codette's server does not answer at ${serverUrl}. Start it (npm start), then press Connect again.`;
    case 'forbidden_origin':
      return `${error.message} Press Connect to ask for access.`;
    default:
      return error.message;
  }
}

// ---- 1. Access: the extension asks the user ----
const access = $('access');
const accessMessage = $('access-message');
let socket = null;

function setAccess(state, message) {
  access.dataset.state = state;
  accessMessage.textContent = message;
  accessMessage.className = state === 'allowed' ? 'ok' : state === 'asking' ? 'muted' : 'bad';
}

$('connect').addEventListener('click', async () => {
  setAccess('asking', 'Asking… answer "Allow" in the Codette extension (side panel or toolbar popup).');
  const result = await client.requestAccess({ name: 'Codette example DAW' });
  if (!result.ok) return setAccess('error', explain(result.error));
  const { status, message } = result.value;
  if (status === 'denied')
    return setAccess(
      'denied',
      'Codette was told not to let this page in. To change that: Codette extension → Options → Web pages → Revoke, ' +
        'then press Connect again.',
    );
  if (status === 'expired') return setAccess('expired', `${message} Press Connect again.`);
  setAccess('allowed', message);
  await openSocket();
});

// ---- 2. Transport, bound both ways: the page's buttons drive Codette, Codette's changes (panel, chat) show here ----
const transport = $('transport');
let revision = -1;

function showTransport(state) {
  if (state.revision < revision) return;
  revision = state.revision;
  transport.dataset.playing = String(state.playing);
  transport.dataset.state = state.state;
  transport.dataset.bpm = String(state.bpm);
  $('clock').textContent = state.position.display;
  $('bpm').textContent = `${state.bpm} BPM`;
}

async function openSocket() {
  socket?.close();
  socket = client.socket();
  socket.on('transport_state', (m) => showTransport(m.state));
  socket.on('transport_tick', (m) => {
    if (m.revision >= revision) $('clock').textContent = m.position.display;
  });
  const hello = await socket.connect();
  if (!hello.ok) return setAccess('error', explain(hello.error));
  showTransport(hello.value.transport);
  transport.dataset.connected = 'true';
}

for (const action of ['play', 'pause', 'stop']) {
  $(action).addEventListener('click', async () => {
    const result = await client.transport.command({ action });
    $('transport-message').textContent = result.ok ? '' : explain(result.error);
    if (result.ok) showTransport(result.value.state);
  });
}

// ---- 3. Chat: the answer streams in as Codette writes it ----
$('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = $('answer');
  const message = $('question').value.trim();
  if (!message) return;
  answer.textContent = '';
  answer.dataset.done = 'false';
  answer.dataset.deltas = '0';
  const result = await client.chat.stream(
    { message },
    {
      onDelta: (text) => {
        answer.textContent += text;
        answer.dataset.deltas = String(Number(answer.dataset.deltas) + 1);
      },
    },
  );
  if (result.ok) answer.textContent = result.value.response;
  else answer.textContent = explain(result.error);
  answer.dataset.done = result.ok ? 'true' : 'error';
});

// ---- 4. Analyse my bounce: upload progress, then the analysis's own progress, then the report ----
$('wav').addEventListener('change', async () => {
  const file = $('wav').files?.[0];
  if (!file) return;
  const bounce = $('bounce');
  const report = $('report');
  bounce.dataset.state = 'uploading';
  report.textContent = '';
  $('upload-progress').value = 0;
  $('analysis-progress').value = 0;
  const result = await client.analysis.audio(file, {
    name: file.name,
    type: 'audio/wav',
    onUploadProgress: ({ loaded, total }) => {
      $('upload-progress').value = total ? loaded / total : 0;
      bounce.dataset.uploaded = String(loaded);
    },
    onProgress: ({ fraction }) => {
      bounce.dataset.state = 'analysing';
      $('analysis-progress').value = fraction;
    },
  });
  if (!result.ok) {
    bounce.dataset.state = 'error';
    report.textContent = explain(result.error);
    return;
  }
  $('upload-progress').value = 1;
  $('analysis-progress').value = 1;
  bounce.dataset.state = 'done';
  bounce.dataset.score = String(result.value.score);
  report.textContent = `${result.value.score}/100 for ${result.value.target.label}: ${result.value.summary}`;
});
