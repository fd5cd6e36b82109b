import { ProtobufWriter } from './protobuf-writer.js';

/** ONNX `TensorProto.DataType` codes used by the testkit writer. */
export const onnxDataType = {
  /** 32-bit float (`FLOAT`). */
  float: 1,
  /** 32-bit signed integer (`INT32`). */
  int32: 6,
  /** 64-bit signed integer (`INT64`). */
  int64: 7,
  /** Boolean, one byte each (`BOOL`). */
  bool: 9,
  /** 16-bit IEEE float (`FLOAT16`). */
  float16: 10,
} as const;
/** One of the `onnxDataType` codes. */
export type OnnxDataType = (typeof onnxDataType)[keyof typeof onnxDataType];

/** One axis of a graph input or output: a fixed size or a symbolic name such as `batch_size`. */
export type OnnxDimension = number | string;

/** A node attribute value: integer, float, integer list, float list, string or a tensor. */
export type OnnxAttribute =
  | {
      /** An integer (`INT`). */
      readonly integer: number;
    }
  | {
      /** A float (`FLOAT`). */
      readonly float: number;
    }
  | {
      /** A list of integers (`INTS`). */
      readonly integers: readonly number[];
    }
  | {
      /** A list of floats (`FLOATS`). */
      readonly floats: readonly number[];
    }
  | {
      /** A string (`STRING`). */
      readonly text: string;
    }
  | {
      /** A tensor (`TENSOR`). */
      readonly tensor: OnnxTensor;
    };

/** A constant tensor (initializer or attribute): row-major data in one of the supported types. */
export interface OnnxTensor {
  /** The elements' type. */
  readonly dataType: OnnxDataType;
  /** The extents, outermost first. */
  readonly shape: readonly number[];
  /** Raw little-endian bytes of the elements. */
  readonly bytes: Uint8Array;
}

interface NodeRecord {
  readonly operator: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
  readonly domain: string;
}

interface ValueRecord {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly shape: readonly OnnxDimension[];
}

/**
 * Builds one ONNX graph node by node and encodes it as a `ModelProto` (IR version 8). Value names are
 * generated (`name_1`, `name_2`…) unless given; initializers are stored inline as `raw_data`.
 */
export class OnnxGraphBuilder {
  readonly #nodes: NodeRecord[] = [];
  readonly #initializers: { name: string; tensor: OnnxTensor }[] = [];
  readonly #inputs: ValueRecord[] = [];
  readonly #outputs: ValueRecord[] = [];
  readonly #domains = new Map<string, number>([['', 17]]);
  #counter = 0;

  /** Declares an extra operator set (e.g. `com.microsoft`, version 1). */
  useDomain(domain: string, version: number): void {
    this.#domains.set(domain, version);
  }

  /** Declares a graph input; returns its name. */
  input(name: string, dataType: OnnxDataType, shape: readonly OnnxDimension[]): string {
    this.#inputs.push({ name, dataType, shape });
    return name;
  }

  /** Declares a graph output (a value some node produces under `name`). */
  output(name: string, dataType: OnnxDataType, shape: readonly OnnxDimension[]): void {
    this.#outputs.push({ name, dataType, shape });
  }

  /** A named constant tensor. */
  initializer(name: string, tensor: OnnxTensor): string {
    this.#initializers.push({ name, tensor });
    return name;
  }

  /** A float32 constant from numbers. */
  floats(name: string, shape: readonly number[], values: ArrayLike<number>): string {
    const data = Float32Array.from(values as ArrayLike<number>);
    return this.initializer(name, {
      dataType: onnxDataType.float,
      shape,
      bytes: new Uint8Array(data.buffer),
    });
  }

  /** An int64 constant from numbers. */
  integers(name: string, shape: readonly number[], values: readonly number[]): string {
    const data = BigInt64Array.from(values, (value) => BigInt(value));
    return this.initializer(name, {
      dataType: onnxDataType.int64,
      shape,
      bytes: new Uint8Array(data.buffer),
    });
  }

  /**
   * Adds a node and returns its output names. `outputs` is a count (generated names) or explicit names.
   */
  node(
    operator: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
    outputs: number | readonly string[] = 1,
    domain = '',
  ): string[] {
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => `${operator.toLowerCase()}_${++this.#counter}`)
        : [...outputs];
    this.#nodes.push({ operator, inputs, outputs: names, attributes, domain });
    return names;
  }

  /** Like {@link node} with one output, returned as a string. */
  one(
    operator: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
    output?: string,
  ): string {
    return this.node(operator, inputs, attributes, output === undefined ? 1 : [output])[0] as string;
  }

  /** The encoded `ModelProto`. */
  encode(graphName: string): Uint8Array {
    const model = new ProtobufWriter();
    model.integer(1, 8); // ir_version
    model.string(2, '@sirllm/testkit'); // producer_name
    model.message(7, (graph) => {
      for (const node of this.#nodes) graph.message(1, (writer) => writeNode(writer, node));
      graph.string(2, graphName);
      for (const { name, tensor } of this.#initializers) {
        graph.message(5, (writer) => writeTensor(writer, name, tensor));
      }
      for (const value of this.#inputs) graph.message(11, (writer) => writeValueInfo(writer, value));
      for (const value of this.#outputs) graph.message(12, (writer) => writeValueInfo(writer, value));
    });
    for (const [domain, version] of this.#domains) {
      model.message(8, (opset) => {
        if (domain !== '') opset.string(1, domain);
        opset.integer(2, version);
      });
    }
    return model.finish();
  }
}

function writeNode(writer: ProtobufWriter, node: NodeRecord): void {
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  writer.string(3, node.outputs[0] ?? node.operator);
  writer.string(4, node.operator);
  for (const [name, value] of Object.entries(node.attributes)) {
    writer.message(5, (attribute) => writeAttribute(attribute, name, value));
  }
  if (node.domain !== '') writer.string(7, node.domain);
}

function writeAttribute(writer: ProtobufWriter, name: string, value: OnnxAttribute): void {
  writer.string(1, name);
  if ('integer' in value) writer.integer(3, value.integer).integer(20, 2);
  else if ('float' in value) writer.float(2, value.float).integer(20, 1);
  else if ('integers' in value) writer.packedIntegers(8, value.integers).integer(20, 7);
  else if ('floats' in value) writer.packedFloats(7, value.floats).integer(20, 6);
  else if ('text' in value) writer.string(4, value.text).integer(20, 3);
  else writer.message(5, (tensor) => writeTensor(tensor, name, value.tensor)).integer(20, 4);
}

function writeTensor(writer: ProtobufWriter, name: string, tensor: OnnxTensor): void {
  if (tensor.shape.length > 0) writer.packedIntegers(1, tensor.shape);
  writer.integer(2, tensor.dataType);
  writer.string(8, name);
  writer.bytes(9, tensor.bytes);
}

function writeValueInfo(writer: ProtobufWriter, value: ValueRecord): void {
  writer.string(1, value.name);
  writer.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.integer(1, value.dataType);
      tensorType.message(2, (shape) => {
        for (const dimension of value.shape) {
          shape.message(1, (entry) => {
            if (typeof dimension === 'number') entry.integer(1, dimension);
            else entry.string(2, dimension);
          });
        }
      });
    }),
  );
}
