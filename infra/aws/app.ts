// CDK app entry (cdk.json). The stack lands with the AWS-infrastructure issue; until then synth fails
// with this sentence instead of producing an empty, misleading template.
throw new Error('The AWS stack is not built yet (see the AWS-infrastructure issue); nothing to synthesize.');
