/** One way to compare email addresses: sign-in, invitations and officer lists all use it. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
