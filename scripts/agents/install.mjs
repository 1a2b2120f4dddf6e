#!/usr/bin/env node
// Installs the real agent CLIs at pinned versions into .tools/agents/<name>@<version>/, outside the
// project's dependencies, so the real-binary tests can run them. Each folder is cached by version: a
// completion marker is written only after the binary answers `--version`, so a second run installs
// nothing and an interrupted run is redone. Usage: node scripts/agents/install.mjs [name...]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, "..", "..");
const pins = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(path.join(here, "pins.json"), "utf8"))).filter(
    ([name]) => !name.startsWith("$"),
  ),
);
const toolsRoot = path.resolve(process.env.WSP_AGENT_TOOLS_DIR ?? path.join(projectRoot, ".tools", "agents"));
const markerName = ".wsp-installed.json";

/** Folder, marker and binary of one pinned CLI; tests compute the same paths (test/agents/support/tools.ts). */
function layout(name, pin) {
  const folder = path.join(toolsRoot, `${name}@${pin.version}`);
  return {
    folder,
    marker: path.join(folder, markerName),
    bin: path.join(folder, "node_modules", ".bin", pin.bin),
  };
}

function versionOf(bin) {
  // stdin closed and HOME private: some CLIs write state on first start, even for --version.
  const home = path.join(toolsRoot, ".version-home");
  mkdirSync(home, { recursive: true });
  return execFileSync(bin, ["--version"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
    env: {
      ...process.env,
      HOME: home,
      CODEX_HOME: home,
      XDG_CONFIG_HOME: home,
      XDG_DATA_HOME: home,
      XDG_STATE_HOME: home,
      XDG_CACHE_HOME: home,
    },
  }).trim();
}

function install(name, pin) {
  const { folder, marker, bin } = layout(name, pin);
  if (existsSync(marker)) {
    console.log(`agents: ${name}@${pin.version} already installed`);
    return;
  }
  const staging = `${folder}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    path.join(staging, "package.json"),
    JSON.stringify({ name: `wsp-agent-${name}`, private: true }) + "\n",
  );
  const started = Date.now();
  console.log(`agents: installing ${pin.package}@${pin.version} into ${path.relative(projectRoot, folder)}`);
  // Scripts must run: claude and opencode put their native binary in place in a postinstall.
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--save-exact",
      "--ignore-scripts=false",
      `${pin.package}@${pin.version}`,
    ],
    { cwd: staging, stdio: ["ignore", "inherit", "inherit"] },
  );
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
  const version = versionOf(bin);
  if (!version.includes(pin.version)) {
    throw new Error(
      `${name}: expected version ${pin.version}, \`${bin} --version\` said ${JSON.stringify(version)}`,
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  writeFileSync(
    marker,
    JSON.stringify({ package: pin.package, version: pin.version, reported: version, seconds }, null, 2) +
      "\n",
  );
  console.log(`agents: ${name}@${pin.version} ready in ${seconds} s (${version})`);
}

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in pins)) {
    console.error(`agents: unknown CLI ${JSON.stringify(name)}; known: ${Object.keys(pins).join(", ")}`);
    process.exit(2);
  }
}
mkdirSync(toolsRoot, { recursive: true });
let failed = 0;
for (const [name, pin] of Object.entries(pins)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  try {
    install(name, pin);
  } catch (error) {
    failed++;
    console.error(
      `agents: ${name}@${pin.version} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
process.exit(failed === 0 ? 0 : 1);
