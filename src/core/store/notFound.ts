import { UserError } from "../errors";

/** A run, workstream or step attempt the caller named does not exist. */
export class NotFoundError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}
