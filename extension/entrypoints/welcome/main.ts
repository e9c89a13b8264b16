import { createPinia } from 'pinia';
import { createApp } from 'vue';
import '../../components/theme.css';
import { connectBridge } from '../../lib/bridge';
import { setPageLanguage } from '../../lib/open-panel';
import App from './App.vue';

setPageLanguage();
const app = createApp(App);
app.use(createPinia());
// The welcome page shows the connection like the options page does: same view for the background.
connectBridge('options');
app.mount('#app');
