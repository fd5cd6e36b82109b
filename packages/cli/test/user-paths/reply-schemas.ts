import type { JsonSchema } from '@sirllm/core';
import { jsonSchemaViolations } from '@sirllm/testkit';

// The JSON schemas the tool and structured-output user paths constrain replies to. Strings are bounded:
// neither a random-weight model nor the Grocery model closes a free string reliably.

export const weatherParameters: JsonSchema = {
  type: 'object',
  properties: {
    city: { type: 'string', maxLength: 8 },
    days: { type: 'integer' },
    unit: { enum: ['celsius', 'fahrenheit'] },
  },
  required: ['city', 'days', 'unit'],
  additionalProperties: false,
};

export const timeParameters: JsonSchema = {
  type: 'object',
  properties: { zone: { enum: ['UTC', 'CET', 'PST'] }, hour12: { type: 'boolean' } },
  required: ['zone', 'hour12'],
  additionalProperties: false,
};

export const groceryList: JsonSchema = {
  type: 'object',
  properties: {
    item: { type: 'string', maxLength: 12 },
    quantity: { type: 'integer' },
    organic: { type: 'boolean' },
    aisle: { enum: ['dairy', 'bakery', 'produce'] },
  },
  required: ['item', 'quantity', 'organic', 'aisle'],
  additionalProperties: false,
};

/** Violations of `schema`, leaving out string lengths miscounted where a byte-level model wrote U+FFFD. */
export function violations(value: unknown, schema: JsonSchema): string[] {
  return jsonSchemaViolations(value, schema).filter(
    (problem) => !(/longer than/.test(problem) && JSON.stringify(value).includes('\uFFFD')),
  );
}
