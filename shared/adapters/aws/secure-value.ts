// A secret value in AWS: an SSM Parameter Store SecureString (a parameter name, "/…": standard tier, no
// monthly charge) or a Secrets Manager secret (an ARN: $0.40 a month each), both read through Powertools
// Parameters with its cache (`maxAge`) and `forceFetch` for a rotated value. The SDK client loads on the
// first read only (the Lambda runtime ships both; the bundles leave the AWS SDK out).
export interface SecureValueOptions {
  /** Seconds a read value is reused by this container. */
  maxAge: number;
  /** Bypass the cache: the cached value is the suspect one (a rotated key or token). */
  forceFetch?: boolean;
}

export async function readSecureValue(id: string, o: SecureValueOptions): Promise<unknown> {
  if (id.startsWith('arn:') && id.includes(':secretsmanager:')) {
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    return getSecret(id, { maxAge: o.maxAge, forceFetch: o.forceFetch ?? false });
  }
  if (!id.startsWith('/'))
    throw new Error(
      `secret id must be an SSM parameter name ("/…") or a Secrets Manager ARN (got a ${id.length}-character value)`,
    );
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  return getParameter(id, { decrypt: true, maxAge: o.maxAge, forceFetch: o.forceFetch ?? false });
}
