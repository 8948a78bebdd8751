/**
 * Email through SES (v1 SendEmail): the deployed identity in AWS, aws-ses-v2-local locally.
 */
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { config } from './config.js';

let client: SESClient | undefined;

/** The shared SES client, built on first use. */
export function ses(): SESClient {
  client ??= createSes();
  return client;
}

/** An SES client as the service uses it (tests add fault middleware to one). */
export function createSes(): SESClient {
  return new SESClient({
    region: config.region,
    maxAttempts: 3,
    ...(config.sesEndpoint
      ? {
          endpoint: config.sesEndpoint,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
}

/** Replace the client (tests that make SES fail). */
export function setSes(next: SESClient | undefined): void {
  client = next;
}

export type Mail = { to: string; subject: string; text: string; html: string };

/** Send one email from the configured sender. */
export async function sendMail(mail: Mail): Promise<void> {
  await ses().send(
    new SendEmailCommand({
      Source: config.mailFrom,
      Destination: { ToAddresses: [mail.to] },
      Message: {
        Subject: { Data: mail.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: mail.text, Charset: 'UTF-8' },
          Html: { Data: mail.html, Charset: 'UTF-8' },
        },
      },
    }),
  );
}

/** Escape text for HTML bodies (names come from customers). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
