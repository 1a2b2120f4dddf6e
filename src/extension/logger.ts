import * as vscode from "vscode";
import { type Logger } from "../core/logger";

/** The extension's one log channel, with a component tag on every line so the log reads by feature. */
export interface ExtensionLogger extends Logger {
  /** A logger whose lines carry `[component]`. */
  child(component: string): Logger;
}

export function createLogger(context: vscode.ExtensionContext): ExtensionLogger {
  const channel = vscode.window.createOutputChannel("Workstream Pipeline", { log: true });
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand("workstreamPipeline.showLog", () => channel.show()),
  );
  const tagged = (component: string): Logger => ({
    debug: (message) => channel.debug(`[${component}] ${message}`),
    info: (message) => channel.info(`[${component}] ${message}`),
    warn: (message) => channel.warn(`[${component}] ${message}`),
    error: (message) => channel.error(`[${component}] ${message}`),
  });
  return { ...tagged("extension"), child: tagged };
}
