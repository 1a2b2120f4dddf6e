/**
 * The git door: the only code in Workstream Pipeline that runs git (through `execCapture`, see
 * run.ts). Callers import from here.
 */
export {
  branchExists,
  currentBranch,
  deleteBranch,
  findRepoRoot,
  isAncestor,
  gitVersion,
  leftRightCount,
  listBranches,
  listRepositoryFiles,
  listTrackedFiles,
  listWorkstreamBranches,
  repoRoot,
  resolveCommit,
  workstreamBranch,
} from "./repository";
export {
  attachWorkstreamBranch,
  createWorktree,
  dropPreparedBranch,
  listWorktrees,
  prepareWorktree,
  pruneWorktrees,
  removeWorktree,
  type PreparedWorktree,
  type WorktreeInfo,
} from "./worktrees";
export {
  branchChanges,
  changedPaths,
  commitStaged,
  diffHash,
  showFile,
  stageAll,
  type BranchChange,
} from "./changes";
export { combineCommits, mergeBranches, type MergeOutcome } from "./merges";
export { captureGuard, readBaseCheckout, tamperFindings, type GuardSnapshot } from "./tamperGuard";
export { untrackedSecretFiles } from "./secretFiles";
export { ignoredFilesMatching, ignoredPaths } from "./ignored";
export { fastForwardBranch } from "./merges";
export {
  checkOutIntegration,
  clearQueueHead,
  conflictReport,
  dropEarlierWork,
  earlierWorkRef,
  keepEarlierWork,
  layWorkOnto,
  mergeOnto,
  readQueueHead,
  rebaseOnto,
  writeQueueHead,
  type ConflictReport,
  type IntegrationStep,
} from "./integration";
