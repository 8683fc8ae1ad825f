/** A problem the person running the command can fix; printed as one line, no stack. */
export class UserError extends Error {}
