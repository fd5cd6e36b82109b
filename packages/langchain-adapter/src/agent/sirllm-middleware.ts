import { createMiddleware } from 'langchain';

/**
 * Agent middleware for `createAgent` (langchain v1): passes the agent's LangGraph thread id to
 * `ChatSirLLM` as its `sessionId`, so every thread keeps its own KV memory. Put it first in the
 * middleware list (outermost). Do not combine it with summarization or trimming middleware: rewriting
 * the history makes every turn a rebuild and throws the cache's memory away.
 */
export function sirllmMiddleware() {
  return createMiddleware({
    name: 'SirLLMSession',
    wrapModelCall: (request, handler) => {
      const threadId = request.runtime.configurable?.thread_id;
      if (typeof threadId !== 'string' || threadId === '') return handler(request);
      return handler({ ...request, modelSettings: { ...request.modelSettings, sessionId: threadId } });
    },
  });
}
