export { sirllmMiddleware } from './sirllm-middleware.js';
