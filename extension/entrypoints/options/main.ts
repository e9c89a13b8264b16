import { createApp } from 'vue';
import '../../components/theme.css';
import { setPageLanguage } from '../../lib/open-panel';
import App from './App.vue';

setPageLanguage();
createApp(App).mount('#app');
