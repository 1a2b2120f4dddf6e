/* global fetch, setTimeout, clearTimeout */
// Starts code-server (a real VS Code) on 127.0.0.1 with its own state folders, detached in its
// own process group so that stopping it leaves no stray process. Used by the tests and `npm start`.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { codeServerEntry, node24 } from "./tools.mjs";

/** A port the kernel has just handed out, so two runs never collide. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitUntilHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(new URL("healthz", url));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts code-server and resolves once it answers.
 * @param {{ stateDir?: string, smokeTestDriver?: boolean, workspaceTrust?: boolean, extraArgs?: string[], log?: (line: string) => void, port?: number }} options
 * @returns {Promise<{ url: string, port: number, stateDir: string, extensionsDir: string, stop: () => Promise<void> }>}
 */
export async function startCodeServer(options = {}) {
  const stateDir = options.stateDir ?? mkdtempSync(path.join(os.tmpdir(), "wsp-code-server-"));
  const dirs = {
    userData: path.join(stateDir, "user-data"),
    extensions: path.join(stateDir, "extensions"),
    config: path.join(stateDir, "xdg-config"),
    data: path.join(stateDir, "xdg-data"),
    cache: path.join(stateDir, "xdg-cache"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    codeServerEntry,
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--auth",
    "none",
    "--disable-telemetry",
    "--disable-update-check",
    ...(options.workspaceTrust ? [] : ["--disable-workspace-trust"]),
    "--user-data-dir",
    dirs.userData,
    "--extensions-dir",
    dirs.extensions,
    ...(options.smokeTestDriver ? ["--vscode-option", "enable-smoke-test-driver"] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(node24, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
    },
  });
  const log = options.log ?? (() => undefined);
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => chunk.split("\n").filter(Boolean).forEach(log));
  }
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilHealthy(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stateDir, extensionsDir: dirs.extensions, stop };
}

/** Installs a .vsix into the extensions folder a server started with the same stateDir uses. */
export function installVsix(vsixPath, stateDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      node24,
      [
        codeServerEntry,
        "--user-data-dir",
        path.join(stateDir, "user-data"),
        "--extensions-dir",
        path.join(stateDir, "extensions"),
        "--install-extension",
        vsixPath,
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          XDG_CONFIG_HOME: path.join(stateDir, "xdg-config"),
          XDG_DATA_HOME: path.join(stateDir, "xdg-data"),
          XDG_CACHE_HOME: path.join(stateDir, "xdg-cache"),
        },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`installing ${vsixPath} failed (${code}):\n${output}`)),
    );
  });
}
