/** GGUF metadata value type codes (GGUF v3). */
export const ggufValueTypeCodes = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** A scalar GGUF type name. */
export type GgufScalarType = Exclude<keyof typeof ggufValueTypeCodes, 'array'>;

/**
 * One typed metadata value. GGUF stores the type next to every value, so the writer needs it explicitly
 * (a JavaScript number could be any of eight GGUF number types).
 */
export type GgufValue =
  | {
      /** A UTF-8 string. */
      readonly type: 'string';
      /** The string. */
      readonly value: string;
    }
  | {
      /** A boolean. */
      readonly type: 'bool';
      /** The boolean. */
      readonly value: boolean;
    }
  | {
      /** A 64-bit integer. */
      readonly type: 'uint64' | 'int64';
      /** The integer. */
      readonly value: bigint;
    }
  | {
      /** A number type of at most 32 bits, or `float64`. */
      readonly type: Exclude<GgufScalarType, 'string' | 'bool' | 'uint64' | 'int64'>;
      /** The number. */
      readonly value: number;
    }
  | {
      /** An array of strings. */
      readonly type: 'array';
      /** The element type. */
      readonly itemType: 'string';
      /** The strings. */
      readonly values: readonly string[];
    }
  | {
      /** An array of numbers. */
      readonly type: 'array';
      /** The elements' number type. */
      readonly itemType: Exclude<GgufScalarType, 'string' | 'bool' | 'uint64' | 'int64'>;
      /** The numbers. */
      readonly values: ArrayLike<number>;
    };
