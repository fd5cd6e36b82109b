export { createFileSessionStore } from './file-session-store.js';
