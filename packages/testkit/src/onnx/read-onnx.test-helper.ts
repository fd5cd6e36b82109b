/** Reads the top-level fields of a protobuf message: field number → list of raw values. */
export function readFields(bytes: Uint8Array): Map<number, (bigint | Uint8Array)[]> {
  const fields = new Map<number, (bigint | Uint8Array)[]>();
  let offset = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wireType = key & 7;
    let value: bigint | Uint8Array;
    if (wireType === 0) value = varint();
    else if (wireType === 2) {
      const length = Number(varint());
      value = bytes.subarray(offset, offset + length);
      offset += length;
    } else if (wireType === 5) {
      value = bytes.subarray(offset, offset + 4);
      offset += 4;
    } else throw new Error(`unexpected wire type ${wireType}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}
/** A length-delimited field as UTF-8 text. */
export const text = (value: bigint | Uint8Array | undefined) => new TextDecoder().decode(value as Uint8Array);

/** The parts of an ONNX graph the tests look at, decoded from the model bytes. */
export interface GraphSummary {
  readonly inputs: string[];
  readonly nodes: {
    operator: string;
    inputs: string[];
    outputs: string[];
    /** Integer attributes by name. */
    integers: Map<string, bigint>;
  }[];
  /** Initializer shapes by name. */
  readonly initializers: Map<string, number[]>;
}

/** Decodes `ModelProto.graph`: input names, nodes and initializer shapes. */
export function summarizeGraph(bytes: Uint8Array): GraphSummary {
  const graph = readFields(readFields(bytes).get(7)?.[0] as Uint8Array);
  const strings = (fields: Map<number, (bigint | Uint8Array)[]>, field: number) =>
    (fields.get(field) ?? []).map((value) => text(value));
  const inputs = (graph.get(11) ?? []).map((value) => text(readFields(value as Uint8Array).get(1)?.[0]));
  const nodes = (graph.get(1) ?? []).map((value) => {
    const node = readFields(value as Uint8Array);
    const integers = new Map<string, bigint>();
    for (const attribute of node.get(5) ?? []) {
      const fields = readFields(attribute as Uint8Array);
      const integer = fields.get(3)?.[0];
      if (typeof integer === 'bigint') integers.set(text(fields.get(1)?.[0]), integer);
    }
    return {
      operator: text(node.get(4)?.[0]),
      inputs: strings(node, 1),
      outputs: strings(node, 2),
      integers,
    };
  });
  const initializers = new Map<string, number[]>();
  for (const value of graph.get(5) ?? []) {
    const tensor = readFields(value as Uint8Array);
    const dims = tensor.get(1)?.[0];
    const shape =
      dims instanceof Uint8Array ? Array.from(readPackedVarints(dims)) : (tensor.get(1) ?? []).map(Number);
    initializers.set(text(tensor.get(8)?.[0]), shape);
  }
  return { inputs, nodes, initializers };
}

function* readPackedVarints(bytes: Uint8Array): Generator<number> {
  let offset = 0;
  while (offset < bytes.length) {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[offset++] as number;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) break;
    }
    yield result;
  }
}
