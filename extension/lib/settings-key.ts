/** The storage.local key of the user's settings (its own module, so that content scripts need not bundle zod). */
export const SETTINGS_KEY = 'codette.settings.v1';
