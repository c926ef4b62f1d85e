// ffmpeg reads a filter's options through up to three parsers, each with its
// own quoting; text that reaches them (names people typed, file paths on
// Windows with `C:\`) is escaped once per parser, innermost first.

/** A value inside a filter's `key=value:key=value` options. */
export function escapeOption(value: string): string {
  return value.replace(/[\\':]/g, '\\$&');
}

/** A filter's whole option string inside a filtergraph (where `,;[]` separate filters). */
export function escapeForGraph(options: string): string {
  return options.replace(/[\\'[\],;]/g, '\\$&');
}

/** A command's argument inside a sendcmd script (where spaces, `,` and `;` separate commands). */
export function escapeForSendcmd(argument: string): string {
  return argument.replace(/[\\'\s,;#[\]]/g, '\\$&');
}
