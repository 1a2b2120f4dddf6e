import { strict as assert } from "node:assert";
import { ExitError, UserError, messageOf } from "./errors";

describe("errors", () => {
  it("keeps a user error's exit code and message", () => {
    const error = new UserError("no workstreams/ folder in /tmp/x", 2);
    assert.equal(error.exitCode, 2);
    assert.equal(messageOf(error), "no workstreams/ folder in /tmp/x");
    assert.ok(error instanceof Error);
  });

  it("carries the exit code of an ExitError", () => {
    assert.equal(new ExitError(1).exitCode, 1);
  });

  it("turns anything thrown into a message", () => {
    assert.equal(messageOf("plain"), "plain");
    assert.equal(messageOf(42), "42");
  });
});
