import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp db init|inspect|runs|import|events`; each action lazy-imports its implementation. */
export function registerDbCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const db = program
    .command("db")
    .description("The state store: create, inspect, list runs, read or follow events, import journals.");
  const dbOption = ["--db <path>", "store file (default: $PIPELINE_DB_PATH or state/pipeline.db)"] as const;

  db.command("init")
    .description("Create the store, or migrate it to this version's schema; prints its path.")
    .option(...dbOption)
    .option(
      "--schema <path>",
      "schema to create it from (default: $PIPELINE_SCHEMA_PATH or the built-in one)",
    )
    .option(
      "--discard-journal",
      "set the journal aside (renamed to <journal>.discarded-<time>, never deleted) and open the store as of its last checkpoint",
    )
    .action(async (options: { db?: string; schema?: string; discardJournal?: boolean }) => {
      const { dbInit } = await import("./index");
      setExitCode(await dbInit(options, io));
    });

  db.command("inspect")
    .description("Row count of every table, schema version and file size.")
    .option(...dbOption)
    .option("--json", "print JSON")
    .action(async (options: { db?: string; json?: boolean }) => {
      const { dbInspect } = await import("./index");
      setExitCode(await dbInspect(options, io));
    });

  db.command("runs")
    .description("Runs, newest first.")
    .option(...dbOption)
    .option("--limit <n>", "at most this many", "100")
    .option("--json", "print JSON")
    .action(async (options: { db?: string; limit: string; json?: boolean }) => {
      const { dbRuns } = await import("./index");
      setExitCode(await dbRuns(options, io));
    });

  db.command("import")
    .description(
      "Merge event journals (wsp run --events ndjson output, e.g. from CI jobs) into the store; safe to repeat.",
    )
    .argument("<journal...>", "NDJSON journal files")
    .option(...dbOption)
    .action(async (files: string[], options: { db?: string }) => {
      const { dbImport } = await import("./importJournals");
      setExitCode(await dbImport(files, options, io));
    });

  db.command("events")
    .description("Events, oldest first; --follow keeps printing new ones until interrupted.")
    .option(...dbOption)
    .option("--run <id>", "only this run")
    .option("--ws <id>", "only this workstream")
    .option("--after <id>", "only events after this id", "0")
    .option("--follow", "wait for new events (Ctrl-C to stop)")
    .option("--json", "one JSON object per line")
    .action(
      async (options: {
        db?: string;
        run?: string;
        ws?: string;
        after: string;
        follow?: boolean;
        json?: boolean;
      }) => {
        const { dbEvents } = await import("./index");
        const controller = new AbortController();
        const stop = (): void => controller.abort();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        try {
          setExitCode(await dbEvents(options, io, controller.signal));
        } finally {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
        }
      },
    );
}
