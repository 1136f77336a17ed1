// Where the stack may run. Binance answers requests from US IP addresses with HTTP 451 ("restricted
// location": Binance's API documentation on HTTP status codes says US-based servers should choose a
// different region), so a stack in a US region cannot trade at all. The region comes from the standard
// CDK environment: CDK_DEFAULT_REGION, which the cdk CLI sets from AWS_REGION or the AWS profile — and,
// when neither names one, to us-east-1, which is refused here; `npm run synth` passes ap-northeast-1
// (Tokyo, where Binance's matching engine runs: the lowest latency) unless told otherwise. Run without
// the CLI and without a region, the stack is pinned to Tokyo and says so.

export const DEFAULT_REGION = 'ap-northeast-1';

/** AWS regions in the United States (commercial and GovCloud): Binance refuses their IP addresses. */
export function isUsRegion(region: string): boolean {
  return /^us-(gov-)?(east|west)-\d$/.test(region);
}

export class RegionRefused extends Error {
  override readonly name = 'RegionRefused';
}

export interface RegionChoice {
  region: string;
  /** Which region and why, one line for the synth output. */
  note?: string;
}

/**
 * The deployment region. A US region is refused unless `allowRestricted` (a test deployment that does
 * not trade); a malformed name is refused too.
 */
export function deploymentRegion(fromEnvironment: string | undefined, allowRestricted = false): RegionChoice {
  const named = fromEnvironment?.trim();
  if (!named) {
    return {
      region: DEFAULT_REGION,
      note: `No region in the CDK environment (CDK_DEFAULT_REGION / the AWS profile): the stack deploys to ${DEFAULT_REGION} (Tokyo, next to Binance's matching engine). Set one with AWS_REGION=<region> or the profile's region.`,
    };
  }
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(named))
    throw new RegionRefused(`"${named}" is not an AWS region name (e.g. ${DEFAULT_REGION})`);
  if (isUsRegion(named) && !allowRestricted) {
    throw new RegionRefused(
      `Cannot deploy to ${named}${named === 'us-east-1' ? ' (also what the cdk CLI picks when no region is configured)' : ''}: Binance refuses requests from US IP addresses (HTTP 451, restricted location), so the stack could not trade from there. Deploy to ${DEFAULT_REGION} (Tokyo, next to Binance's matching engine) or another non-US region, e.g. AWS_REGION=${DEFAULT_REGION} npm run synth. For a test deployment that never calls Binance, pass -c allowRestrictedRegion=true.`,
    );
  }
  return { region: named, note: `Deploying to ${named} (from the CDK environment).` };
}
