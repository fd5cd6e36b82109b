import { InvalidOptionError, type JsonSchema } from '@sirllm/core';

type Schema = Record<string, unknown>;

const basicTypes = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const grammarFormats = new Set(['date-time', 'date', 'time']);

/** Any JSON value, in the subset node-llama-cpp turns into a grammar. */
const anyValue: Schema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
};

/**
 * Rewrites a JSON schema into the subset node-llama-cpp's `createGrammarForJsonSchema` understands.
 * node-llama-cpp silently turns anything it does not recognise (`anyOf`, `{}`, a type list with
 * `object`) into `null`, so this translation is not optional:
 * - `anyOf` and `oneOf` → `oneOf`, the keywords beside them merged into each alternative; a one-element
 *   `allOf` → its element; `nullable: true` → `oneOf` with null;
 * - `{}` or `true` → any JSON value; a `type` list → `oneOf` with one schema per type (so that
 *   `maxLength` still applies to `["string", "null"]`);
 * - `definitions` and `#/definitions/…` references → `$defs` and `#/$defs/…`;
 * - draft-07 tuple `items: [...]` → `prefixItems`.
 * Kept and enforced: `type`, `properties`, `additionalProperties`, `items`, `prefixItems`,
 * `minItems`/`maxItems`, `minProperties`/`maxProperties`, `minLength`/`maxLength`, `enum`, `const`,
 * the `date`, `time` and `date-time` formats, `description`. Dropped (not enforced while sampling):
 * numeric ranges, `pattern`, other formats, `uniqueItems`, `required` (every listed property is always
 * generated, so optional ones appear too). Throws `InvalidOptionError` for what cannot be expressed
 * (`allOf` of several schemas, `not`, non-primitive `enum` values, unknown types).
 */
export function toGrammarJsonSchema(schema: JsonSchema | boolean): Schema {
  return translate(schema, 'schema');
}

function translate(schema: unknown, path: string): Schema {
  if (schema === true) return anyValue;
  if (schema === false || schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw refuse(path, schema, 'a JSON schema object');
  }
  const source = schema as Schema;
  const described = typeof source.description === 'string' ? { description: source.description } : {};
  const definitions = translateDefinitions(source, path);
  if (source.not !== undefined)
    throw refuse(`${path}.not`, source.not, 'no "not" (a grammar cannot exclude)');
  if (source.nullable === true) {
    const { nullable: _, ...rest } = source;
    return { oneOf: [translate(rest, path), { type: 'null' }], ...described, ...definitions };
  }
  if (typeof source.$ref === 'string') {
    return { $ref: source.$ref.replace(/^#\/definitions\//, '#/$defs/'), ...described, ...definitions };
  }
  const alternatives = source.anyOf ?? source.oneOf;
  if (alternatives !== undefined) {
    if (!Array.isArray(alternatives) || alternatives.length === 0) {
      throw refuse(`${path}.anyOf`, alternatives, 'a non-empty array of schemas');
    }
    const { anyOf: _, oneOf: __, description: ___, $defs: ____, definitions: _____, ...shared } = source;
    const oneOf = alternatives.map((alternative, index) =>
      translate(withShared(shared, alternative), `${path}.anyOf[${index}]`),
    );
    return { oneOf, ...described, ...definitions };
  }
  if (source.allOf !== undefined) {
    if (!Array.isArray(source.allOf) || source.allOf.length !== 1) {
      throw refuse(`${path}.allOf`, source.allOf, 'at most one schema (a grammar cannot intersect schemas)');
    }
    return { ...translate(source.allOf[0], `${path}.allOf[0]`), ...described, ...definitions };
  }
  if (source.const !== undefined) return { const: primitive(source.const, `${path}.const`), ...described };
  if (source.enum !== undefined) {
    if (!Array.isArray(source.enum) || source.enum.length === 0) {
      throw refuse(`${path}.enum`, source.enum, 'a non-empty array');
    }
    return {
      enum: source.enum.map((value, index) => primitive(value, `${path}.enum[${index}]`)),
      ...described,
    };
  }
  const type = source.type ?? inferType(source);
  if (type === undefined) return { ...anyValue, ...described, ...definitions };
  if (Array.isArray(type)) {
    const unknown = type.find(
      (entry) => typeof entry !== 'string' || !(basicTypes.has(entry) || isComposite(entry)),
    );
    if (unknown !== undefined || type.length === 0)
      throw refuse(`${path}.type`, type, 'JSON schema type names');
    const { description: _, $defs: __, definitions: ___, ...shape } = source;
    const oneOf = type.map((entry) => translate({ ...shape, type: entry }, path));
    if (oneOf.length === 1) return { ...(oneOf[0] as Schema), ...described, ...definitions };
    return { oneOf, ...described, ...definitions };
  }
  if (type === 'object') return { ...translateObject(source, path), ...described, ...definitions };
  if (type === 'array') return { ...translateArray(source, path), ...described, ...definitions };
  if (type === 'string') return { ...translateString(source), ...described };
  if (typeof type === 'string' && basicTypes.has(type)) return { type, ...described };
  throw refuse(`${path}.type`, type, 'one of string, number, integer, boolean, null, object, array');
}

/**
 * An alternative of `anyOf`/`oneOf` together with the keywords beside the list (`type`, `properties`,
 * …), which apply to every alternative: `{ type: 'object', properties, anyOf: [{ required: ['a'] }] }`
 * stays an object instead of becoming any value. Properties of both are merged; a `$ref` alternative is
 * kept as it is.
 */
function withShared(shared: Schema, alternative: unknown): unknown {
  if (Object.keys(shared).length === 0) return alternative;
  if (alternative === true) return shared;
  if (alternative === null || typeof alternative !== 'object' || Array.isArray(alternative))
    return alternative;
  const own = alternative as Schema;
  if (typeof own.$ref === 'string') return alternative;
  const properties =
    isObject(shared.properties) && isObject(own.properties)
      ? { properties: { ...shared.properties, ...own.properties } }
      : {};
  return { ...shared, ...own, ...properties };
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function translateObject(source: Schema, path: string): Schema {
  const result: Schema = { type: 'object' };
  const properties = source.properties;
  if (properties !== undefined) {
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      throw refuse(`${path}.properties`, properties, 'an object of schemas');
    }
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [
        name,
        translate(value, `${path}.properties.${name}`),
      ]),
    );
  }
  const additional = source.additionalProperties;
  if (additional === true) result.additionalProperties = true;
  else if (additional !== undefined && additional !== false) {
    result.additionalProperties = translate(additional, `${path}.additionalProperties`);
  }
  copyCounts(source, result, ['minProperties', 'maxProperties']);
  return result;
}

function translateArray(source: Schema, path: string): Schema {
  const result: Schema = { type: 'array' };
  const tuple = Array.isArray(source.items) ? source.items : source.prefixItems;
  if (tuple !== undefined) {
    if (!Array.isArray(tuple)) throw refuse(`${path}.prefixItems`, tuple, 'an array of schemas');
    result.prefixItems = tuple.map((item, index) => translate(item, `${path}.prefixItems[${index}]`));
  }
  const items = Array.isArray(source.items) ? source.additionalItems : source.items;
  if (items !== undefined && items !== true && items !== false) {
    result.items = translate(items, `${path}.items`);
  }
  copyCounts(source, result, ['minItems', 'maxItems']);
  return result;
}

function translateString(source: Schema): Schema {
  if (typeof source.format === 'string' && grammarFormats.has(source.format)) {
    return { type: 'string', format: source.format };
  }
  const result: Schema = { type: 'string' };
  copyCounts(source, result, ['minLength', 'maxLength']);
  return result;
}

function translateDefinitions(source: Schema, path: string): Schema {
  const definitions = source.$defs ?? source.definitions;
  if (definitions === undefined) return {};
  if (definitions === null || typeof definitions !== 'object' || Array.isArray(definitions)) {
    throw refuse(`${path}.$defs`, definitions, 'an object of schemas');
  }
  return {
    $defs: Object.fromEntries(
      Object.entries(definitions).map(([name, value]) => [name, translate(value, `${path}.$defs.${name}`)]),
    ),
  };
}

/** Schemas that leave out `type` but clearly describe one kind of value. */
function inferType(source: Schema): string | undefined {
  if (source.properties !== undefined || source.additionalProperties !== undefined) return 'object';
  if (source.items !== undefined || source.prefixItems !== undefined) return 'array';
  return undefined;
}

function isComposite(type: unknown): type is 'object' | 'array' {
  return type === 'object' || type === 'array';
}

function copyCounts(source: Schema, target: Schema, keys: readonly string[]): void {
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) target[key] = value;
  }
}

function primitive(value: unknown, path: string): string | number | boolean | null {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value as string | number | boolean | null;
  }
  throw refuse(path, value, 'a string, number, boolean or null (the grammar cannot enumerate objects)');
}

function refuse(option: string, value: unknown, expected: string): InvalidOptionError {
  return new InvalidOptionError({ option, value, expected });
}
