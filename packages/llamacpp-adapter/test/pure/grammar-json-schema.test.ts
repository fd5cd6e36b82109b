import { InvalidOptionError, type JsonSchema } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { toGrammarJsonSchema } from '../../src/grammar/grammar-json-schema.js';
import { tightenJsonGrammar } from '../../src/grammar/tighten-json-grammar.js';

describe('toGrammarJsonSchema: JSON schema → the subset node-llama-cpp compiles', () => {
  it('rewrites what node-llama-cpp would silently turn into null', () => {
    expect(toGrammarJsonSchema({ anyOf: [{ type: 'integer' }, { type: 'null' }] })).toEqual({
      oneOf: [{ type: 'integer' }, { type: 'null' }],
    });
    expect(toGrammarJsonSchema({ type: 'string', nullable: true })).toEqual({
      oneOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(toGrammarJsonSchema({ type: ['object', 'null'], properties: { a: { type: 'boolean' } } })).toEqual(
      {
        oneOf: [{ type: 'object', properties: { a: { type: 'boolean' } } }, { type: 'null' }],
      },
    );
    expect(toGrammarJsonSchema({ type: ['string', 'null'], maxLength: 4 })).toEqual({
      oneOf: [{ type: 'string', maxLength: 4 }, { type: 'null' }],
    });
    expect((toGrammarJsonSchema({}) as { oneOf: unknown[] }).oneOf).toHaveLength(3);
  });

  it('keeps the keywords beside anyOf/oneOf in every alternative (an object stays an object)', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      anyOf: [{ required: ['a'] }, { required: ['b'], properties: { c: { type: 'boolean' } } }],
    };
    const object = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } };
    expect(toGrammarJsonSchema(schema)).toEqual({
      oneOf: [object, { ...object, properties: { ...object.properties, c: { type: 'boolean' } } }],
    });
    expect(
      toGrammarJsonSchema({ type: 'string', maxLength: 2, oneOf: [{ enum: ['x'] }, { minLength: 1 }] }),
    ).toEqual({
      oneOf: [{ enum: ['x'] }, { type: 'string', minLength: 1, maxLength: 2 }],
    });
  });

  it('moves definitions to $defs, tuples to prefixItems, and drops what a grammar cannot enforce', () => {
    expect(
      toGrammarJsonSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          p: { $ref: '#/definitions/point' },
          t: { type: 'array', items: [{ type: 'number', minimum: 0 }], additionalItems: { type: 'string' } },
        },
        required: ['p'],
        definitions: { point: { type: 'string', pattern: '^a', maxLength: 3, format: 'email' } },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        p: { $ref: '#/$defs/point' },
        t: { type: 'array', prefixItems: [{ type: 'number' }], items: { type: 'string' } },
      },
      $defs: { point: { type: 'string', maxLength: 3 } },
    });
  });

  it('refuses what cannot become a grammar, naming where', () => {
    const refused = (schema: JsonSchema) => {
      try {
        toGrammarJsonSchema(schema);
      } catch (error) {
        return InvalidOptionError.isInstance(error) ? error.option : 'other error';
      }
      return 'accepted';
    };
    expect(refused({ properties: { a: { not: {} } } })).toBe('schema.properties.a.not');
    expect(refused({ enum: [{ a: 1 }] })).toBe('schema.enum[0]');
    expect(refused({ type: 'date' })).toBe('schema.type');
    expect(refused({ allOf: [{}, {}] })).toBe('schema.allOf');
  });
});

describe('tightenJsonGrammar', () => {
  it('bounds exponents, keeps integers safe and exponent-free, and refuses impossible code points in strings', () => {
    const generated = [
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
      'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
      'string-char-rule ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ["\\\\/bfnrt]',
    ].join('\n');
    expect(tightenJsonGrammar(generated).split('\n')).toEqual([
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,14})',
      'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?',
      'string-char-rule ::= [^"\\\\\\x7F\\x00-\\x1F\\uD800-\\uDFFF\\U00110000-\\U001FFFFF] | "\\\\" ["\\\\/bfnrt]',
    ]);
    expect(tightenJsonGrammar('root ::= "x"')).toBe('root ::= "x"');
  });

  it('ends an object or array at its closing bracket, not four newlines later; a bare number keeps them', () => {
    const object = 'root ::= "{" space-rule "\\"day\\"" ":" [ ]? rule0 space-rule "}" "\\n\\n\\n\\n" [\\n]*';
    expect(tightenJsonGrammar(`${object}\nrule0 ::= "1"`)).toBe(
      'root ::= "{" space-rule "\\"day\\"" ":" [ ]? rule0 space-rule "}"\nrule0 ::= "1"',
    );
    const array = 'root ::= "[" rule0 "]" "\\n\\n\\n\\n" [\\n]*';
    expect(tightenJsonGrammar(array)).toBe('root ::= "[" rule0 "]"');
    const number = 'root ::= fractional-number-rule "\\n\\n\\n\\n" [\\n]*';
    expect(tightenJsonGrammar(number)).toBe(number);
  });
});
