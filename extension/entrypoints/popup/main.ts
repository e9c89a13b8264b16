import { createPinia } from 'pinia';
import { createApp } from 'vue';
import '../../components/theme.css';
import { connectBridge } from '../../lib/bridge';
import { setPageLanguage } from '../../lib/open-panel';
import App from './App.vue';

setPageLanguage();

const app = createApp(App);
app.use(createPinia());
connectBridge('popup');
app.mount('#app');
