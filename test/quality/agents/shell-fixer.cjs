// STAND-IN for an AI editor: reads the error pipeline's prompt file and rewrites every shell
// script it names into a clean one, the way a real agent would fix them.
const fs = require("node:fs");
const path = require("node:path");
const [promptFile, cwd] = process.argv.slice(2);
const prompt = fs.readFileSync(promptFile, "utf8");
const scripts = new Set([...prompt.matchAll(/^- ([\w./-]+\.sh)[:\s]/gm)].map((match) => match[1]));
for (const script of scripts) fs.writeFileSync(path.join(cwd, script), '#!/bin/sh\necho "$1"\n');
process.stdout.write(`fixed ${[...scripts].join(", ")}\n`);
