// Libraries that documentation blocks show for comparison but the workspace does not install.
declare module '@langchain/openai' {
  import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
  export class ChatOpenAI extends BaseChatModel {
    constructor(fields: { model: string });
  }
}
