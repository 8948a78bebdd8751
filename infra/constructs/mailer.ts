/**
 * The SES identity email is sent from: the whole domain, signed with Easy DKIM. The DKIM
 * records are stack outputs; SES sends nothing until they are in DNS (README "Deploy").
 */
import { CfnOutput } from 'aws-cdk-lib';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailerProps {
  /** Domain of the sender address, verified as one SES identity. */
  readonly domain: string;
}

export class Mailer extends Construct {
  readonly identity: EmailIdentity;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.domain),
    });
    this.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DNS CNAME ${i + 1} of 3 that verifies ${props.domain} for SES (Easy DKIM)`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
  }

  /** The ARN functions get `ses:SendEmail` on. */
  get identityArn(): string {
    return this.identity.emailIdentityArn;
  }
}
