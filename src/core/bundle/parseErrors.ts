/** The first parse error of a text as a sentence a person understands, where to underline it. */
import { printParseErrorCode, type ParseError } from "jsonc-parser";

export function describeParseError(
  text: string,
  error: ParseError,
): { offset: number; length: number; message: string } {
  const { offset, length } = error;
  const code = printParseErrorCode(error.error);
  const character = text[offset];
  if (
    (code === "PropertyNameExpected" || code === "ValueExpected") &&
    (character === "}" || character === "]")
  ) {
    let before = offset - 1;
    while (before >= 0 && /\s/.test(text[before])) before--;
    if (text[before] === ",")
      return {
        offset: before,
        length: 1,
        message: `Trailing comma before "${character}"; JSON does not allow it.`,
      };
  }
  const messages: Record<string, string> = {
    InvalidSymbol: "Unexpected character; expected a JSON value.",
    InvalidNumberFormat: "Invalid number.",
    PropertyNameExpected: "Expected a property name in double quotes.",
    ValueExpected: "Expected a value.",
    ColonExpected: 'Expected ":" after the property name.',
    CommaExpected: 'Expected "," between entries.',
    CloseBraceExpected: 'Expected "}" to close the object.',
    CloseBracketExpected: 'Expected "]" to close the array.',
    EndOfFileExpected: "Unexpected content after the end of the JSON value.",
    InvalidCommentToken: "Comments are not allowed in JSON.",
    UnexpectedEndOfComment: "Unterminated comment.",
    UnexpectedEndOfString: "Unterminated string.",
    UnexpectedEndOfNumber: "Unterminated number.",
    InvalidUnicode: "Invalid unicode escape.",
    InvalidEscapeCharacter: "Invalid escape character in string.",
    InvalidCharacter: "Invalid character in string.",
  };
  return { offset, length: Math.max(length, 1), message: messages[code] ?? "Invalid JSON." };
}
