import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';

/** The text half of the seam: `detokenize` of nothing is `''`, and decoding splits at token boundaries. */
export function textChecks(harness: ConformanceHarness): void {
  describe('text', () => {
    it("detokenize([]) is '' (the engine's streaming decoder may ask for an empty slice)", () => {
      expect(harness.backend.detokenize([])).toBe('');
    });

    it('decoding a concatenation equals concatenating the decodings of its parts', () => {
      const tokens = harness.backend.tokenize('Plain words: tea, bread and cheese.');
      expect(tokens.length).toBeGreaterThan(1);
      const whole = harness.backend.detokenize(tokens);
      expect(whole).toBe('Plain words: tea, bread and cheese.');
      const middle = Math.floor(tokens.length / 2);
      expect(
        harness.backend.detokenize(tokens.slice(0, middle)) +
          harness.backend.detokenize(tokens.slice(middle)),
      ).toBe(whole);
    });
  });
}
