/** The launch adapters alone (no binaries): each CLI's own mechanism for base URL, model and isolation. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { agentClis } from "../../src/core/agents/types";
import { parseToolProfiles } from "../../src/core/orchestrator/profiles";
import { buildAgentLaunch } from "../../src/node/agents/launch";
import { createTempDir } from "../support/tempRepo";

const secret = "sk-very-secret-key";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe("agent launch adapters", () => {
  let state: { root: string; remove(): void };
  beforeEach(() => (state = createTempDir("wsp-launch-")));
  afterEach(() => state.remove());

  for (const isolation of ["user", "private"] as const) {
    for (const cli of agentClis) {
      it(`${cli} (${isolation}): never writes the key, closes no door on the user's login, sets PWD`, () => {
        const launch = buildAgentLaunch({
          cli,
          prompt: "do it",
          cwd: "/work/tree",
          model: "m-1",
          baseUrl: "http://127.0.0.1:9/v1",
          apiKeyEnv: "MY_KEY",
          stateDir: state.root,
          isolation,
          baseEnv: { PATH: "/bin", HOME: "/home/user", MY_KEY: secret, PWD: "/elsewhere" },
        });
        for (const file of filesUnder(state.root)) {
          assert.ok(!readFileSync(file, "utf8").includes(secret), `${file} holds the key`);
        }
        assert.ok(!launch.args.some((arg) => arg.includes(secret)), "the key is not on the command line");
        assert.equal(launch.env.PWD, "/work/tree");
        assert.equal(launch.env.HOME === "/home/user", isolation === "user");
        assert.ok(launch.env.TMPDIR?.startsWith(state.root));
      });
    }
  }

  it("codex: a provider defined by -c overrides, the key named by env_key", () => {
    const launch = buildAgentLaunch({
      cli: "codex",
      prompt: "p",
      cwd: "/w",
      model: "gpt-5.5",
      baseUrl: "http://h/v1",
      apiKeyEnv: "MY_KEY",
      retries: 0,
      stateDir: state.root,
      isolation: "user",
      baseEnv: {},
    });
    const overrides = launch.args.filter((_, index) => launch.args[index - 1] === "-c");
    assert.ok(overrides.includes('model_providers.wsp.base_url="http://h/v1"'));
    assert.ok(overrides.includes('model_providers.wsp.env_key="MY_KEY"'));
    assert.ok(overrides.includes("model_providers.wsp.request_max_retries=0"));
    assert.ok(overrides.includes('model="gpt-5.5"'));
    assert.ok(launch.args.includes("--ephemeral"), "no session files shared between parallel runs");
    assert.equal(launch.args.at(-1), "p");
  });

  it("claude: base URL variable, permission mode, bounded retries", () => {
    const launch = buildAgentLaunch({
      cli: "claude",
      prompt: "p",
      cwd: "/w",
      baseUrl: "http://h",
      retries: 1,
      stateDir: state.root,
      isolation: "user",
      baseEnv: {},
    });
    assert.equal(launch.env.ANTHROPIC_BASE_URL, "http://h");
    assert.equal(launch.env.CLAUDE_CODE_MAX_RETRIES, "1");
    assert.deepEqual(
      launch.args.slice(
        launch.args.indexOf("--permission-mode"),
        launch.args.indexOf("--permission-mode") + 2,
      ),
      ["--permission-mode", "acceptEdits"],
    );
  });

  it("gemini in user isolation: a base URL gets a run's own ~/.gemini selecting api-key auth; else yours", () => {
    const launch = (baseUrl?: string) =>
      buildAgentLaunch({
        cli: "gemini",
        prompt: "p",
        cwd: "/w",
        ...(baseUrl !== undefined ? { baseUrl } : {}),
        stateDir: state.root,
        isolation: "user",
        baseEnv: { HOME: "/home/user" },
      });
    const proxied = launch("http://h");
    // Gemini ignores a system settings file not owned by root, so the settings live in GEMINI_CLI_HOME.
    const geminiHome = proxied.env.GEMINI_CLI_HOME;
    assert.ok(geminiHome?.startsWith(state.root));
    const settings = JSON.parse(readFileSync(path.join(geminiHome, ".gemini", "settings.json"), "utf8")) as {
      security: { auth: { selectedType: string } };
    };
    assert.equal(settings.security.auth.selectedType, "gemini-api-key");
    assert.equal(proxied.env.GOOGLE_GEMINI_BASE_URL, "http://h");
    assert.equal(proxied.env.HOME, "/home/user");
    assert.ok(proxied.args.includes("--skip-trust"));
    const vendor = launch();
    assert.equal(vendor.env.GEMINI_CLI_HOME, undefined, "the user's ~/.gemini (login, settings) is used");
  });

  it("opencode: the provider's key is an {env:…} reference opencode resolves itself", () => {
    const launch = buildAgentLaunch({
      cli: "opencode",
      prompt: "p",
      cwd: "/w",
      model: "m",
      baseUrl: "http://h/v1",
      apiKeyEnv: "MY_KEY",
      offline: true,
      stateDir: state.root,
      isolation: "private",
      baseEnv: {},
    });
    const config = JSON.parse(launch.env.OPENCODE_CONFIG_CONTENT ?? "{}") as {
      model: string;
      provider: { wsp: { options: { apiKey: string; baseURL: string } } };
    };
    assert.equal(config.provider.wsp.options.apiKey, "{env:MY_KEY}");
    assert.equal(config.provider.wsp.options.baseURL, "http://h/v1");
    assert.equal(config.model, "wsp/m");
    assert.equal(launch.env.npm_config_registry, "http://127.0.0.1:9/");
  });

  it("two runs at once share no session state in user isolation (opencode: see docs)", () => {
    const sessionArgs = (cli: (typeof agentClis)[number], run: string): string[] => {
      const launch = buildAgentLaunch({
        cli,
        prompt: "p",
        cwd: "/w",
        stateDir: path.join(state.root, run),
        isolation: "user",
        baseEnv: { HOME: "/home/user" },
      });
      const at = launch.args.indexOf("--session-id");
      return [
        ...launch.args.filter((arg) => arg === "--ephemeral" || arg === "--no-session-persistence"),
        ...(at >= 0 ? [`session ${launch.args[at + 1]}`] : []),
      ];
    };
    assert.deepEqual(sessionArgs("codex", "a"), ["--ephemeral"]);
    assert.deepEqual(sessionArgs("claude", "a"), ["--no-session-persistence"]);
    for (const cli of ["gemini", "qwen"] as const) {
      const [first, second] = [sessionArgs(cli, "a"), sessionArgs(cli, "b")];
      assert.match(first[0] ?? "", /^session [0-9a-f-]{36}$/);
      assert.notDeepEqual(first, second, `${cli}: each run starts its own session`);
    }
  });

  it("the shipped profiles drive the five real CLIs with the user's own setup", () => {
    const profiles = parseToolProfiles(
      JSON.parse(readFileSync(path.join(__dirname, "..", "..", "config", "tool_profiles.json"), "utf8")),
    );
    const expected = {
      codex: "codex",
      "claude-code": "claude",
      gemini: "gemini",
      "qwen-code": "qwen",
      opencode: "opencode",
    };
    for (const [id, cli] of Object.entries(expected)) {
      const profile = profiles.get(id);
      assert.equal(profile?.agent?.cli, cli, id);
      assert.equal(profile.agent.isolation, "user", `${id}: the user's login and settings stay usable`);
      assert.equal(profile.agent.base_url, undefined, `${id}: the vendor's API unless the user names one`);
      assert.equal(profile.command, cli);
    }
    assert.equal(profiles.get("aider")?.agent, undefined, "aider keeps its plain argv profile");
  });
});
