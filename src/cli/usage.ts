export const USAGE = `Usage: liaison <command> [options]

Commands:
  serve                                   Start the web server (what npm start runs), with the job runner
                                          unless JOBS_IN_SERVE=off
  worker                                  Run the job runner alone, without the web server
  jobs list                               Each kind of job: state, last and next run, waiting, last error;
                                          then failed jobs not yet dismissed
  migrate                                 Apply database migrations (and fill the derived tables they create)
  setup-link                              Issue a fresh first-run setup link (24 hours, single use); prints it last
  org create --kind support|police --name NAME --slug SLUG
                                          Create an organisation; prints its slug
  user invite --org SLUG --role ROLE --email EMAIL
                                          Invite a member of staff; prints a one-time link (72 hours), last
  partnership add --support SLUG --police SLUG
                                          Link a support organisation with a police force, accepted on both
                                          sides at once (referrals)
  token create --org SLUG --role ROLE --name LABEL
                                          Create an API token; prints it once, as the last line
  token list --org SLUG                   List an organisation's API tokens (never the tokens themselves)
  token revoke --id ID                    Revoke an API token at once
  audit verify [--since-checkpoint SEQ:HASH]
                                          Check the audit trail's hash chain and keyed head (and that the
                                          checkpoint's entry is still there); exit 1 naming the first bad entry
  audit checkpoint                        Verify, then print SEQ:HASH, last, to keep somewhere else
  keys rotate [--reencrypt]               Start a new data-encryption key (old data stays readable); prints its id, last.
                                          With --reencrypt, then rewrap older data with it (as keys reencrypt)
  keys reencrypt [--batch-size N]         Rewrap everything written with older data keys with the active key, N rows
                                          per table per transaction (200); safe while servers run, and to run again
  keys retire ID                          Retire an older data key for good (it can no longer decrypt); refused while
                                          anything is still encrypted with it
  derived rebuild                         Refill the tables kept in step with others (at-risk watch, report tags) from the data
  backup --out FILE                       Write a consistent copy of the database to FILE (mode 0600) while the server
                                          runs: SQLite's online backup, or pg_dump --format=custom on PostgreSQL (its
                                          client tools must not be older than the server). Holds no master key
  restore --from FILE [--force]           Put a backup in place of an empty database (with --force, of one holding
                                          data: stop the servers first), then migrate, rebuild the derived tables and
                                          verify the audit trail (exit 1 if it is broken). Needs the backup's master key
  help, --help                            Show this message

Roles: support organisations: admin, caseworker, liaison, outreach, analyst;
       police organisations: admin, officer, supervisor, analyst.
Slugs: 1 to 40 lower-case letters, digits or hyphens.

Configuration comes from the environment, as for the server (DATA_DIR, DATABASE_URL,
LIAISON_MASTER_KEY, PUBLIC_URL, ...): see README.md.
Exit codes: 0 done, 1 failed (or audit trail broken), 2 bad arguments or configuration (nothing changed).`;

/** Bad arguments: the command prints the message and the usage, exits 2 and changes nothing. */
export class UsageError extends Error {}
