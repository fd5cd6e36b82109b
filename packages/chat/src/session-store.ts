/**
 * Where the chat layer (`ChatSessions`, under `ChatSirLLM` and the AI SDK provider) parks sessions it evicts from memory (least recently used beyond `maxSessions`,
 * or on `dispose`), and finds them again on the next call with the same session id.
 */
export interface SessionStore {
  save(sessionId: string, bytes: Uint8Array): Promise<void>;
  /** The saved bytes, or undefined when nothing is saved under this id. */
  load(sessionId: string): Promise<Uint8Array | undefined>;
  delete(sessionId: string): Promise<void>;
}

/** A store in this process's memory (snapshots are far smaller than live caches of idle sessions). */
export function createMemorySessionStore(): SessionStore {
  const saved = new Map<string, Uint8Array>();
  return {
    save: async (sessionId, bytes) => {
      saved.set(sessionId, bytes.slice());
    },
    load: async (sessionId) => saved.get(sessionId)?.slice(),
    delete: async (sessionId) => {
      saved.delete(sessionId);
    },
  };
}
