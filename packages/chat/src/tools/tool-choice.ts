/**
 * What the model may answer with tools, whatever the framework called it:
 * - `auto`: a call of any tool, or a direct text answer;
 * - `required`: a call of any tool;
 * - `none`: text only, no constraint;
 * - `tool`: a call of the named tool.
 */
export type ResolvedToolChoice =
  | { readonly kind: 'auto' | 'required' | 'none' }
  | { readonly kind: 'tool'; readonly name: string };
