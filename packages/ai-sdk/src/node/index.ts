export { createFileSessionStore } from '@sirllm/chat/node';
