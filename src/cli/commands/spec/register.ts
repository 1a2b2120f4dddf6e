import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp spec index|map|coverage`; each action lazy-imports its implementation. */
export function registerSpecCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const spec = program
    .command("spec")
    .description("Spec traceability: the IDX tag index, the spec-to-code map and coverage.");
  const common = (command: Command): Command =>
    command
      .option("--docs-dir <dir>", "scan this directory's .md and .txt files instead of the configured docs")
      .option(
        "--config <file>",
        "scan and mapping configuration (default: config/spec_mapping.yaml at the repository root)",
      );

  common(spec.command("index").description("List every IDX tag in the spec docs."))
    .option("--format <format>", "text or json", "text")
    .action(async (options: { docsDir?: string; config?: string; format?: string }) => {
      const { specIndex } = await import("./index");
      setExitCode(await specIndex(options, io));
    });

  common(
    spec
      .command("map")
      .description("Write the spec-to-code mapping document (module, function, phase, version)."),
  )
    .option(
      "--output <file>",
      "where to write the map (default: docs/spec/spec_index_map.md at the repository root)",
    )
    .action(async (options: { docsDir?: string; config?: string; output?: string }) => {
      const { specMap } = await import("./index");
      setExitCode(await specMap(options, io));
    });

  common(
    spec
      .command("coverage")
      .description("Per tag: does a bundle, code and a test refer to it? Gate CI with --min."),
  )
    .option("--json", "print JSON")
    .option("--min <percent>", "exit 1 when fewer than this percentage of tags are covered")
    .action(async (options: { docsDir?: string; config?: string; json?: boolean; min?: string }) => {
      const { specCoverage } = await import("./index");
      setExitCode(await specCoverage(options, io));
    });
}
