import assert from "node:assert/strict";
import { SIGNATURE_TEXT_LIMIT, normaliseErrorText, signatureInput } from "./signature";

describe("error signature input", () => {
  it("collapses whitespace so reformatted output is the same error", () => {
    assert.equal(signatureInput("static", "a\n\n  b\tc "), "static|a b c");
    assert.equal(signatureInput("static", "a b c"), signatureInput("static", " a\nb  c"));
  });

  it("cuts the text to the limit", () => {
    assert.equal(normaliseErrorText("x".repeat(SIGNATURE_TEXT_LIMIT + 50)).length, SIGNATURE_TEXT_LIMIT);
  });
});
