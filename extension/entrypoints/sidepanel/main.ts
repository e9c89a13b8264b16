import { createPinia } from 'pinia';
import { createApp } from 'vue';
import '../../components/theme.css';
import { connectBridge } from '../../lib/bridge';
import { setPageLanguage } from '../../lib/open-panel';
import App from './App.vue';

setPageLanguage();

const app = createApp(App);
app.use(createPinia());
connectBridge('sidepanel');
app.mount('#app');
// Time to first render, for the note in the report: read it with performance.getEntriesByName('codette:first-render').
requestAnimationFrame(() => performance.mark('codette:first-render'));
