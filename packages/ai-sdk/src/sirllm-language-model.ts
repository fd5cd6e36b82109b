import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  SharedV4Warning,
} from '@ai-sdk/provider';
import type { ChatSessions, ChatTurnRequest, ReplyFormat } from '@sirllm/chat';
import { generationSettingsOf } from './call-settings.js';
import { sirllmOptionsOf } from './provider-options.js';
import { replyFormatOf } from './reply-format-of.js';
import type { SirLLMModelSettings } from './sirllm-provider-settings.js';
import { TrimmedTextStream } from './streamed-text.js';
import { toChatMessages } from './to-chat-messages.js';
import { finishReasonOf, memoryMetadataOf, usageOf } from './turn-results.js';

/** What every model of one provider shares: the sessions of its backend and the call defaults. */
export interface SirLLMModelContext {
  readonly sessions: ChatSessions;
  readonly maxOutputTokens: number;
}

/**
 * An AI SDK language model (`LanguageModelV4`) over SirLLM chat sessions. A call with
 * `providerOptions.sirllm.sessionId` (or the model's own `sessionId`) continues that conversation's KV
 * session: only the messages the session has not seen are evaluated (`usage.inputTokens.cacheRead`
 * counts the rest). A call without one runs on a fresh session of its own.
 */
export class SirLLMLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'sirllm.chat';
  readonly modelId: string;
  /** None: the SDK downloads URLs itself (and file parts are refused: the models are text-only). */
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly #settings: SirLLMModelSettings;
  readonly #context: SirLLMModelContext;

  constructor(modelId: string, settings: SirLLMModelSettings, context: SirLLMModelContext) {
    this.modelId = modelId;
    this.#settings = settings;
    this.#context = context;
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { request, warnings } = await this.#prepare(options);
    const turn = await this.#context.sessions.turn({
      ...request,
      ...(options.abortSignal ? { signal: options.abortSignal } : {}),
    });
    const content: LanguageModelV4Content[] = [];
    if (turn.content !== '') content.push({ type: 'text', text: turn.content });
    for (const call of turn.toolCalls) {
      content.push({
        type: 'tool-call',
        toolCallId: call.id,
        toolName: call.name,
        input: JSON.stringify(call.args),
      });
    }
    return {
      content,
      finishReason: finishReasonOf(turn),
      usage: usageOf(turn),
      providerMetadata: memoryMetadataOf(turn),
      response: this.#responseMetadata(),
      warnings,
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { request, warnings, format } = await this.#prepare(options);
    const cancelled = new AbortController();
    const signal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, cancelled.signal])
      : cancelled.signal;
    const { sessions } = this.#context;
    const metadata = this.#responseMetadata();
    let open = true;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        const enqueue = (part: LanguageModelV4StreamPart) => {
          if (open) controller.enqueue(part);
        };
        enqueue({ type: 'stream-start', warnings });
        enqueue({ type: 'response-metadata', ...metadata });
        const textId = 'text-0';
        let textStarted = false;
        const emitText = (delta: string) => {
          if (!textStarted) enqueue({ type: 'text-start', id: textId });
          textStarted = true;
          enqueue({ type: 'text-delta', id: textId, delta });
        };
        // Free text and structured JSON stream as they are generated; a reply under the tool grammar
        // (a call, or `{"response": …}`) is known only when it is complete.
        const live = format?.constraint?.kind === 'tools' ? undefined : format?.constraint ? 'json' : 'text';
        const trimmed = live === 'json' ? new TrimmedTextStream(emitText) : undefined;
        sessions
          .turn({
            ...request,
            signal,
            ...(live ? { onText: (text: string) => (trimmed ? trimmed.push(text) : emitText(text)) } : {}),
          })
          .then(
            (turn) => {
              if (!live && turn.content !== '') emitText(turn.content);
              if (textStarted) enqueue({ type: 'text-end', id: textId });
              for (const call of turn.toolCalls) {
                const input = JSON.stringify(call.args);
                enqueue({ type: 'tool-input-start', id: call.id, toolName: call.name });
                enqueue({ type: 'tool-input-delta', id: call.id, delta: input });
                enqueue({ type: 'tool-input-end', id: call.id });
                enqueue({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input });
              }
              enqueue({
                type: 'finish',
                finishReason: finishReasonOf(turn),
                usage: usageOf(turn),
                providerMetadata: memoryMetadataOf(turn),
              });
              if (open) controller.close();
              open = false;
            },
            (error: unknown) => {
              if (open) controller.error(error);
              open = false;
            },
          );
      },
      cancel() {
        open = false;
        cancelled.abort();
      },
    });
    return { stream };
  }

  /** The call's turn (history, format, settings, session) and its warnings; throws before anything runs. */
  async #prepare(options: LanguageModelV4CallOptions): Promise<{
    request: Omit<ChatTurnRequest, 'signal' | 'onText'>;
    warnings: SharedV4Warning[];
    format: ReplyFormat | undefined;
  }> {
    const warnings: SharedV4Warning[] = [];
    const { sessions, maxOutputTokens } = this.#context;
    const sirllm = await sirllmOptionsOf(options.providerOptions);
    const sessionId = sirllm.sessionId ?? this.#settings.sessionId;
    const format = replyFormatOf(
      options,
      { name: sessions.backend.info.name, constrainsSampling: sessions.constrainsSampling },
      warnings,
    );
    const settings = generationSettingsOf(options, { maxOutputTokens }, warnings);
    const request = {
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(sirllm.requestId === undefined ? {} : { requestId: sirllm.requestId }),
      history: toChatMessages(options.prompt),
      ...(format ? { format } : {}),
      ...settings,
    };
    return { request, warnings, format };
  }

  #responseMetadata(): { id: string; timestamp: Date; modelId: string } {
    return {
      id: `sirllm-${globalThis.crypto.randomUUID()}`,
      timestamp: new Date(),
      modelId: this.modelId,
    };
  }
}
