import assert from "node:assert/strict";
import {
  allowedEnvironment,
  allowListOf,
  baseEnvAllowList,
  bwrapArguments,
  looksLikeSecret,
  mergeAllowLists,
  type SandboxLayout,
} from "./policy";
import { effectiveMode, effectiveNetwork, parseProfileSandbox, parseSandboxConfig } from "./settings";

const layout: SandboxLayout = {
  privateDirs: ["/root", "/tmp"],
  readOnly: ["/tmp/repo", "/usr/bin", "/root/tools/bin"],
  writable: ["/tmp/repo/.worktrees/w1"],
  readOnlyInsideWritable: ["/tmp/repo/.worktrees/w1/.git"],
  masked: ["/tmp/repo/.env"],
  homeBinds: ["/root/.codex"],
  network: "host",
  callerIsRoot: true,
  cwd: "/tmp/repo/.worktrees/w1",
  env: { PATH: "/usr/bin", OPENAI_API_KEY: "sk-secret" },
};

function indexOfPair(argv: string[], option: string, target: string): number {
  return argv.findIndex((arg, index) => arg === option && argv[index + 1] === target);
}

describe("sandbox policy", () => {
  it("hides the private dirs, then shows what the tool needs, the worktree writable and its .git read-only", () => {
    const argv = bwrapArguments(layout, "node", ["-e", "0"]);
    const tmpfs = indexOfPair(argv, "--tmpfs", "/tmp");
    const repo = indexOfPair(argv, "--ro-bind", "/tmp/repo");
    const worktree = indexOfPair(argv, "--bind", "/tmp/repo/.worktrees/w1");
    const gitFile = indexOfPair(argv, "--ro-bind", "/tmp/repo/.worktrees/w1/.git");
    assert.ok(tmpfs >= 0 && tmpfs < repo && repo < worktree && worktree < gitFile, argv.join(" "));
    assert.ok(indexOfPair(argv, "--ro-bind", "/root/tools/bin") > indexOfPair(argv, "--tmpfs", "/root"));
    assert.equal(indexOfPair(argv, "--ro-bind", "/usr/bin"), -1, "visible anyway: no bind needed");
    assert.equal(argv[indexOfPair(argv, "--ro-bind", "/dev/null") + 2], "/tmp/repo/.env");
    assert.deepEqual(argv.slice(-4), ["--", "node", "-e", "0"]);
  });

  it("drops every capability of a root caller and kills the whole tree with its parent", () => {
    const argv = bwrapArguments(layout, "true", []);
    for (const option of ["--unshare-user", "--unshare-pid", "--die-with-parent", "--new-session"])
      assert.ok(argv.includes(option), option);
    assert.equal(argv[argv.indexOf("--uid") + 1], "1000");
    assert.ok(!bwrapArguments({ ...layout, callerIsRoot: false }, "true", []).includes("--uid"));
  });

  it("cuts the network only when asked", () => {
    assert.ok(!bwrapArguments(layout, "true", []).includes("--unshare-net"));
    assert.ok(bwrapArguments({ ...layout, network: "none" }, "true", []).includes("--unshare-net"));
  });

  it("never puts the environment on the command line", () => {
    const argv = bwrapArguments(layout, "true", []);
    assert.ok(!argv.some((arg) => arg.includes("sk-secret")));
    assert.ok(!argv.includes("--setenv"));
  });

  it("lets through only the variables an allow-list names", () => {
    const env = { PATH: "/bin", OPENAI_API_KEY: "k", ANTHROPIC_API_KEY: "a", LC_ALL: "C", AWS_SECRET: "s" };
    assert.deepEqual(allowedEnvironment(env, baseEnvAllowList), { PATH: "/bin", LC_ALL: "C" });
    const withKey = mergeAllowLists(baseEnvAllowList, allowListOf(["OPENAI_*"]));
    assert.deepEqual(Object.keys(allowedEnvironment(env, withKey)).sort(), [
      "LC_ALL",
      "OPENAI_API_KEY",
      "PATH",
    ]);
  });

  it("recognises secret-looking files but not their examples", () => {
    for (const name of [".env", ".env.local", "id_rsa", "server.pem", "tls.key", ".npmrc"])
      assert.ok(looksLikeSecret(name), name);
    for (const name of [".env.example", "env.ts", "id.ts", "keys.md", ".env.sample"])
      assert.ok(!looksLikeSecret(name), name);
  });
});

describe("sandbox settings", () => {
  it("reads config/sandbox.yaml with defaults and names a bad value", () => {
    assert.deepEqual(parseSandboxConfig(undefined, "config/sandbox.yaml"), {
      mode: "auto",
      network: "host",
      env: [],
    });
    assert.deepEqual(parseSandboxConfig({ mode: "required", env: ["MY_*"] }, "f"), {
      mode: "required",
      network: "host",
      env: ["MY_*"],
    });
    assert.throws(
      () => parseSandboxConfig({ mode: "maybe" }, "config/sandbox.yaml"),
      /config\/sandbox.yaml: mode must be one of required, auto, off/,
    );
    assert.throws(() => parseSandboxConfig({ mod: "off" }, "f"), /unknown key\(s\) mod/);
    assert.throws(() => parseSandboxConfig({ env: ["A B"] }, "f"), /variable names/);
  });

  it("reads a profile's sandbox block and refuses home folders that leave the home", () => {
    assert.deepEqual(parseProfileSandbox({ network: "none", home: [".aider"] }, "p"), {
      network: "none",
      env: [],
      home: [".aider"],
    });
    assert.throws(() => parseProfileSandbox({ home: ["../etc"] }, "p"), /relative to the home/);
    assert.throws(() => parseProfileSandbox({ home: ["/etc"] }, "p"), /relative to the home/);
  });

  it("lets nothing opt out of a required sandbox, and the strictest network wins", () => {
    assert.equal(effectiveMode("required", "off"), "required");
    assert.equal(effectiveMode("auto", "off"), "off");
    assert.equal(effectiveMode("off", "required"), "required");
    assert.equal(effectiveMode("auto", undefined), "auto");
    assert.equal(effectiveNetwork("host", undefined, "none"), "none");
    assert.equal(effectiveNetwork("host", undefined), "host");
  });
});
