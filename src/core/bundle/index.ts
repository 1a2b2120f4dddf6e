/** The bundle model and its validation: the API other areas use. */
export * from "./types";
export * from "./diagnostics";
export { parseToolProfiles, type ToolProfileIds } from "./toolProfiles";
export {
  BundleWorkspace,
  validateDocuments,
  type DocumentText,
  type ValidationResult,
  type WorkspaceOptions,
} from "./workspace";
