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
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'uint64' | 'int64'; readonly value: bigint }
  | {
      readonly type: Exclude<GgufScalarType, 'string' | 'bool' | 'uint64' | 'int64'>;
      readonly value: number;
    }
  | { readonly type: 'array'; readonly itemType: 'string'; readonly values: readonly string[] }
  | {
      readonly type: 'array';
      readonly itemType: Exclude<GgufScalarType, 'string' | 'bool' | 'uint64' | 'int64'>;
      readonly values: ArrayLike<number>;
    };
