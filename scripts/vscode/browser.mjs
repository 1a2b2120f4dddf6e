// The headless Chromium every code-server check and bench drives: Debian's build, no sandbox of its
// own (it runs as root in CI), and nothing that reaches the network.
import { chromium } from "playwright-core";
import { chromiumPath } from "./tools.mjs";

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
