type Schema = Readonly<Record<string, unknown>> | boolean;

/**
 * Checks a parsed JSON value against a JSON schema, independently of any grammar: a small validator
 * for tests of constrained sampling. Covers `type` (with `integer`), `enum`, `const`, `anyOf`,
 * `oneOf` (exactly one), `allOf`, `properties`, `required`, `additionalProperties`, `items`,
 * `prefixItems`, `minItems`/`maxItems`, `minLength`/`maxLength` (in code points), `minimum`/`maximum`,
 * and `$ref` into `#/$defs/` or `#/definitions/`. Returns one line per violation (empty when valid).
 */
export function jsonSchemaViolations(value: unknown, schema: Schema): string[] {
  const violations: string[] = [];
  check(value, schema, '$', schema, violations);
  return violations;
}

function check(value: unknown, schema: Schema, path: string, root: Schema, out: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    out.push(`${path}: no value is allowed here`);
    return;
  }
  if (typeof schema.$ref === 'string') {
    check(value, resolve(schema.$ref, root), path, root, out);
    return;
  }
  if (schema.const !== undefined && !sameJson(value, schema.const)) {
    out.push(`${path}: expected the constant ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((entry) => sameJson(value, entry))) {
    out.push(`${path}: expected one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type as string))) {
      out.push(`${path}: expected type ${types.join(' or ')}, got ${describeType(value)}`);
      return;
    }
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) {
    const matching = alternatives.filter(
      (alternative) => jsonSchemaViolationsFrom(value, alternative, root) === 0,
    );
    if (matching.length === 0) out.push(`${path}: matches none of the alternatives`);
    if (schema.oneOf && matching.length > 1)
      out.push(`${path}: matches ${matching.length} oneOf alternatives`);
  }
  for (const part of (schema.allOf ?? []) as Schema[]) check(value, part, path, root, out);
  if (typeof value === 'string') checkString(value, schema, path, out);
  if (typeof value === 'number') checkNumber(value, schema, path, out);
  if (Array.isArray(value)) checkArray(value, schema, path, root, out);
  else if (value !== null && typeof value === 'object') {
    checkObject(value as Record<string, unknown>, schema, path, root, out);
  }
}

function checkString(value: string, schema: Readonly<Record<string, unknown>>, path: string, out: string[]) {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    out.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    out.push(`${path}: longer than ${schema.maxLength}`);
  }
}

function checkNumber(value: number, schema: Readonly<Record<string, unknown>>, path: string, out: string[]) {
  if (typeof schema.minimum === 'number' && value < schema.minimum)
    out.push(`${path}: below ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum)
    out.push(`${path}: above ${schema.maximum}`);
}

function checkArray(
  value: unknown[],
  schema: Readonly<Record<string, unknown>>,
  path: string,
  root: Schema,
  out: string[],
): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    out.push(`${path}: fewer than ${schema.minItems} items`);
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    out.push(`${path}: more than ${schema.maxItems} items`);
  }
  const prefix = (schema.prefixItems ?? []) as Schema[];
  value.forEach((item, index) => {
    const itemSchema = index < prefix.length ? prefix[index] : (schema.items as Schema | undefined);
    if (itemSchema !== undefined) check(item, itemSchema, `${path}[${index}]`, root, out);
  });
}

function checkObject(
  value: Record<string, unknown>,
  schema: Readonly<Record<string, unknown>>,
  path: string,
  root: Schema,
  out: string[],
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) out.push(`${path}: missing required property "${name}"`);
  }
  for (const [name, propertyValue] of Object.entries(value)) {
    const propertySchema = properties[name];
    if (propertySchema !== undefined) check(propertyValue, propertySchema, `${path}.${name}`, root, out);
    else if (schema.additionalProperties === false) out.push(`${path}: unexpected property "${name}"`);
    else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
      check(propertyValue, schema.additionalProperties as Schema, `${path}.${name}`, root, out);
    }
  }
}

function jsonSchemaViolationsFrom(value: unknown, schema: Schema, root: Schema): number {
  const out: string[] = [];
  check(value, schema, '$', root, out);
  return out.length;
}

function resolve(reference: string, root: Schema): Schema {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(reference);
  const definitions =
    match && typeof root === 'object' ? (root[match[1] as string] as Record<string, Schema>) : undefined;
  const target = match ? definitions?.[match[2] as string] : undefined;
  if (target === undefined) throw new Error(`jsonSchemaViolations: cannot resolve ${reference}`);
  return target;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      throw new Error(`jsonSchemaViolations: unknown type ${type}`);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
