import { createApp } from 'vue';
import '../../components/theme.css';
import App from './App.vue';

createApp(App).mount('#app');
