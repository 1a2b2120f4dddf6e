/** A CommandIO whose reader takes a while over each write, to test that commands wait for it. */
import { type CommandIO } from "../../src/cli/io";

export interface SlowReader {
  io: CommandIO;
  /** Writes made so far. */
  writes: number;
  /** The most writes ever waiting unread at once; 1 when the command always waited. */
  mostUnread: number;
}

/** Wraps `io`: everything still reaches it, but `drained()` resolves only once 5 ms have passed. */
export function slowReader(io: CommandIO): SlowReader {
  let unread = 0;
  const reader: SlowReader = {
    writes: 0,
    mostUnread: 0,
    io: {
      ...io,
      out(text: string) {
        io.out(text);
        reader.writes += 1;
        unread += 1;
        reader.mostUnread = Math.max(reader.mostUnread, unread);
      },
      drained: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            unread = 0;
            resolve();
          }, 5),
        ),
    },
  };
  return reader;
}
