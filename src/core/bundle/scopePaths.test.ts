import assert from "node:assert/strict";
import { normaliseScopeEntry, unsafeScopeReason } from "./scopePaths";

/** The exact rules, written the slow way: every entry goes through them. */
function slowReason(entry: string): string | undefined {
  const slashed = entry.replace(/\\/g, "/");
  if (slashed.startsWith("/")) return "absolute";
  if (/^[A-Za-z]:/.test(slashed)) return "windows";
  if (slashed.startsWith("~")) return "home";
  if (slashed.split("/").includes("..")) return "dots";
  return undefined;
}

function slowNormalise(entry: string): string {
  let path = entry.replace(/\\/g, "/").replace(/\/{2,}/g, "/");
  while (path.startsWith("./")) path = path.slice(2);
  while (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path;
}

describe("scope entry safety and normalisation", () => {
  it("agrees with the exact rules on every entry, whether or not the quick test lets it through", () => {
    const alphabet = "ab/.\\~:C*";
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const entries = ["src/", "./src", "a//b", "C:/x", "~/x", "a/../b", "..", ".", "a/.github/x", "a\\b", "/"];
    for (let count = 0; count < 20000; count++) {
      let entry = "";
      for (let length = 1 + (next() % 7); length > 0; length--) entry += alphabet[next() % alphabet.length];
      entries.push(entry);
    }
    for (const entry of entries) {
      assert.equal(unsafeScopeReason(entry) === undefined, slowReason(entry) === undefined, entry);
      if (slowReason(entry) === undefined)
        assert.equal(normaliseScopeEntry(entry), slowNormalise(entry), entry);
    }
  });
});
