/** Reads the local SES inbox (aws-ses-v2-local's GET /store). */
import { config } from '../../lib/config.js';

export type Sent = {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
};

/** Every email sent to `to` so far, oldest first. */
export async function inbox(to: string): Promise<Sent[]> {
  const res = await fetch(`${config.sesEndpoint}/store`);
  const { emails } = (await res.json()) as { emails: Sent[] };
  return emails.filter((e) => e.destination.to.includes(to));
}

/** The reset token in the newest email to `to`. */
export async function latestResetToken(to: string): Promise<string> {
  const mails = await inbox(to);
  const text = mails.at(-1)?.body.text ?? '';
  const m = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no reset link in mail to ${to}`);
  return m[1];
}
