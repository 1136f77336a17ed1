// @aws-sdk/client-ssm ships with the Lambda Node.js runtime but is not installed here (no other code
// needs it): the one call functions/dashboard/link.ts makes. Remove this file if the package is added.
declare module '@aws-sdk/client-ssm' {
  export class GetParameterCommand {
    constructor(input: { Name: string; WithDecryption: boolean });
  }
  export class SSMClient {
    constructor(config: Record<string, never>);
    send(command: GetParameterCommand): Promise<{ Parameter?: { Value?: string } }>;
  }
}
