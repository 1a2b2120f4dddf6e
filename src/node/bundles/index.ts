export {
  loadWorkspaceBundles,
  validateWorkspaceDir,
  trackedFiles,
  WorkstreamDirError,
  type WorkspaceBundles,
} from "./loadWorkspace";
