/**
 * What the model may answer with tools, whatever the framework called it:
 * - `auto`: a call of any tool, or a direct text answer;
 * - `required`: a call of any tool;
 * - `none`: text only, no constraint;
 * - `tool`: a call of the named tool.
 */
export type ResolvedToolChoice =
  | {
      /** Which choice: see above. */
      readonly kind: 'auto' | 'required' | 'none';
    }
  | {
      /** A call of the tool named `name`. */
      readonly kind: 'tool';
      /** The tool the reply must call. */
      readonly name: string;
    };
