// Bundles the three entry points into dist/ and copies the runtime assets they load.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/** @type {import("esbuild").BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
  legalComments: "none",
  // jsonc-parser's UMD "main" build hides its requires from esbuild; its ESM build bundles cleanly.
  mainFields: ["module", "main"],
};

const builds = [
  {
    ...common,
    entryPoints: ["src/extension/extension.ts"],
    outfile: "dist/extension.js",
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
  },
  {
    ...common,
    entryPoints: ["src/cli/launch.ts"],
    outfile: "dist/cli.js",
    platform: "node",
    format: "cjs",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
  {
    // The CLI itself, loaded by the launcher above only when a command needs it.
    ...common,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cliMain.js",
    platform: "node",
    format: "cjs",
    target: "node20",
  },
  {
    ...common,
    entryPoints: ["src/webview/main.ts"],
    outfile: "dist/webview/main.js",
    platform: "browser",
    format: "iife",
    target: "es2022",
  },
];

function copyAssets() {
  mkdirSync("dist", { recursive: true });
  // sql.js loads its WASM at run time; ship it beside the bundles and point locateFile at it.
  const wasm = path.join(path.dirname(require.resolve("sql.js")), "sql-wasm.wasm");
  if (existsSync(wasm)) cpSync(wasm, "dist/sql-wasm.wasm");
  if (existsSync("media"))
    cpSync("media", "dist/webview", { recursive: true, filter: (src) => !src.endsWith(".md") });
}

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  copyAssets();
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyAssets();
}
