// Libraries that documentation blocks show for comparison but the workspace does not install.
declare module '@langchain/openai' {
  import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
  export class ChatOpenAI extends BaseChatModel {
    constructor(fields: { model: string });
  }
}

// A bundler's asset URL import (Vite, Rollup plugins, webpack's asset modules): the file's URL as a string.
declare module '*?url' {
  const url: string;
  export default url;
}
