import { describe, expect, it } from 'vitest';
import { jsonSchemaViolations } from './json-schema-violations.js';

const toolCall = {
  type: 'object',
  properties: {
    name: { enum: ['get_weather'] },
    arguments: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 5 }, days: { type: 'integer' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
  required: ['name', 'arguments'],
};

describe('jsonSchemaViolations', () => {
  it('accepts a value that matches', () => {
    expect(
      jsonSchemaViolations({ name: 'get_weather', arguments: { city: 'Oslo', days: 2 } }, toolCall),
    ).toEqual([]);
  });

  it('reports each way a value can fail', () => {
    expect(
      jsonSchemaViolations({ name: 'other', arguments: { city: 'Barcelona', days: 1.5, x: 1 } }, toolCall),
    ).toEqual([
      '$.name: expected one of ["get_weather"]',
      '$.arguments.city: longer than 5',
      '$.arguments.days: expected type integer, got number',
      '$.arguments: unexpected property "x"',
    ]);
    expect(jsonSchemaViolations({ arguments: {} }, toolCall)).toEqual([
      '$: missing required property "name"',
      '$.arguments: missing required property "city"',
    ]);
    expect(jsonSchemaViolations('text', { anyOf: [{ type: 'integer' }, { type: 'null' }] })).toEqual([
      '$: matches none of the alternatives',
    ]);
    expect(jsonSchemaViolations([1, 'a'], { type: 'array', items: { type: 'number' }, maxItems: 1 })).toEqual(
      ['$: more than 1 items', '$[1]: expected type number, got string'],
    );
  });

  it('follows $ref into $defs', () => {
    const schema = {
      $defs: { small: { type: 'integer', maximum: 3 } },
      type: 'array',
      items: { $ref: '#/$defs/small' },
    };
    expect(jsonSchemaViolations([1, 2], schema)).toEqual([]);
    expect(jsonSchemaViolations([4], schema)).toEqual(['$[0]: above 3']);
  });
});
