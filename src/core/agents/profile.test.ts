import assert from "node:assert/strict";
import { UserError } from "../errors";
import { parseAgentSettings } from "./profile";

describe("agent block of a tool profile", () => {
  it("defaults to the user's own setup", () => {
    assert.deepEqual(parseAgentSettings({ cli: "codex" }, "p"), {
      cli: "codex",
      isolation: "user",
      offline: false,
    });
  });

  it("reads every key", () => {
    const raw = {
      cli: "opencode",
      model: "{model_name}",
      base_url: "http://h/v1",
      api_key_env: "K",
      isolation: "private",
      retries: 0,
      offline: true,
    };
    assert.deepEqual(parseAgentSettings(raw, "p"), raw);
  });

  it("names the profile and key on bad input", () => {
    assert.throws(
      () => parseAgentSettings({ cli: "cursor" }, "profile 'x'"),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.message,
          /^profile 'x': agent\.cli must be one of codex, claude, gemini, qwen, opencode$/,
        );
        return true;
      },
    );
    assert.throws(
      () => parseAgentSettings({ cli: "codex", api_key: "sk-x" }, "p"),
      /unknown agent key\(s\) api_key/,
    );
    assert.throws(() => parseAgentSettings({ cli: "codex", retries: -1 }, "p"), /non-negative integer/);
  });
});
