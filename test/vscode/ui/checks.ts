/** UI checks: what a person sees in the workbench. Filled in after the in-host suite is proven. */
import { type Page } from "playwright-core";

export interface UiCheckContext {
  page: Page;
  workspace: string;
  screenshot(name: string): Promise<string>;
}

export interface UiCheck {
  name: string;
  run(context: UiCheckContext): Promise<void>;
}

export const uiChecks: UiCheck[] = [];
