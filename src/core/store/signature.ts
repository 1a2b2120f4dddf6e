/**
 * Error-signature input, as the original computed it: `code|text`, where text is the message with
 * whitespace collapsed and cut to 2,000 characters. The adapter hashes it with SHA-1 (core has no crypto).
 */
export const SIGNATURE_TEXT_LIMIT = 2000;

export function normaliseErrorText(message: string): string {
  return message.replace(/\s+/g, " ").trim().slice(0, SIGNATURE_TEXT_LIMIT);
}

export function signatureInput(code: string, message: string): string {
  return `${code}|${normaliseErrorText(message)}`;
}
