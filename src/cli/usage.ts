export const USAGE = `Usage: liaison <command> [options]

Commands:
  serve                                   Start the web server (what npm start runs)
  migrate                                 Apply database migrations
  org create --kind support|police --name NAME --slug SLUG
                                          Create an organisation; prints its slug
  user invite --org SLUG --role ROLE --email EMAIL
                                          Invite a member of staff; prints a one-time link (72 hours)
  token create --org SLUG --role ROLE --name LABEL
                                          Create an API token; prints it once, as the last line
  audit verify                            Check the audit trail's hash chain
  keys rotate                             Start a new data-encryption key (old data stays readable)
  help                                    Show this message

Configuration comes from the environment (DATA_DIR, DATABASE_URL, LIAISON_MASTER_KEY, ...): see README.md.
Exit codes: 0 done, 1 failed, 2 bad arguments (nothing changed).`;

/** Bad arguments: the command prints the message and the usage, exits 2 and changes nothing. */
export class UsageError extends Error {}
