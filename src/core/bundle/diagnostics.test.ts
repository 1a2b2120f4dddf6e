import assert from "node:assert/strict";
import { LineIndex, positionOf } from "./diagnostics";

describe("diagnostic positions", () => {
  it("count lines to one offset exactly as the line index finds them", () => {
    const texts = ["", "\n", "{}", '{\n  "a": 1\n}\n', "\n\n x\ny\n\n", "a\r\nb\r\n"];
    for (const text of texts) {
      const lines = new LineIndex(text);
      for (let offset = 0; offset <= text.length; offset++)
        assert.deepEqual(
          positionOf(text, offset),
          lines.position(offset),
          `${JSON.stringify(text)} at ${offset}`,
        );
    }
  });
});
