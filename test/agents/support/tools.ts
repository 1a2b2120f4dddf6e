/** Where scripts/agents/install.mjs put each pinned CLI (the same layout it computes). */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type AgentCli } from "../../../src/core/agents/types";

interface Pin {
  package: string;
  version: string;
  bin: string;
}

const projectRoot = path.resolve(path.dirname(__filename), "..", "..", "..");
const pins = JSON.parse(
  readFileSync(path.join(projectRoot, "scripts", "agents", "pins.json"), "utf8"),
) as Record<string, Pin>;
const toolsRoot = path.resolve(process.env.WSP_AGENT_TOOLS_DIR ?? path.join(projectRoot, ".tools", "agents"));

export interface InstalledCli {
  version: string;
  bin: string;
}

/** The installed binary of `cli`, or a clear error telling how to install it. */
export function installedCli(cli: AgentCli): InstalledCli {
  const pin = pins[cli];
  if (pin === undefined) throw new Error(`no pin for ${cli} in scripts/agents/pins.json`);
  const folder = path.join(toolsRoot, `${cli}@${pin.version}`);
  if (!existsSync(path.join(folder, ".wsp-installed.json"))) {
    throw new Error(
      `${cli}@${pin.version} is not installed in ${folder}; run node scripts/agents/install.mjs`,
    );
  }
  return { version: pin.version, bin: path.join(folder, "node_modules", ".bin", pin.bin) };
}
