export type { FamilyChatFormat } from './chat-format.js';
export { chatFormatFitting, familyChatFormat, familyTokenizer } from './family-chat-formats.js';
export { qwenDefaultSystemPrompt } from './qwen2-chat-format.js';
export { testkitChatFormat, testkitChatTemplate, testkitChatTemplateJinja } from './testkit-chat-template.js';
