// AWS list prices for the cost model (npm run cost): ap-northeast-1 (Tokyo, the default region: next to
// Binance's matching engine), arm64, on-demand, USD, as published on the AWS pricing pages in 2026
// (aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand, /sqs/pricing, /eventbridge/pricing,
// /cloudwatch/pricing, /kms/pricing, /vpc/pricing, /ec2/pricing/on-demand, /ebs/pricing,
// /systems-manager/pricing). Check them before relying on a cent: AWS changes prices without notice.
export const PRICE = {
  lambdaGbSecond: 0.0000133334, // arm64
  lambdaRequest: 0.2 / 1e6,
  dynamoWrite: 0.715 / 1e6, // on-demand write request unit (≤ 1 KB)
  dynamoRead: 0.1425 / 1e6, // on-demand read request unit (≤ 4 KB, strongly consistent)
  dynamoStorageGbMonth: 0.285,
  dynamoPitrGbMonth: 0.228,
  sqsFifoRequest: 0.5 / 1e6,
  eventBridgeCustomEvent: 1 / 1e6,
  cloudWatchMetricMonth: 0.3, // per custom metric, prorated by the hour it receives data
  cloudWatchAlarm: 0.1, // standard resolution, one metric
  cloudWatchDashboard: 3,
  logsIngestGb: 0.76,
  logsStoreGbMonth: 0.033,
  kmsKeyMonth: 1, // customer-managed key (the alarm topic's)
  kmsRequest: 0.03 / 1e4,
  ssmStandardParameter: 0, // standard tier SecureString: no storage or standard-throughput charge
  natGatewayHour: 0.062,
  natGatewayGb: 0.062,
  publicIpv4Hour: 0.005,
  t4gNanoHour: 0.0054,
  gp3GbMonth: 0.096,
} as const;

/**
 * The always-free tier per month (not the 12-month trial; an account's allowance is shared by all its
 * stacks). DynamoDB's always-free capacity is for provisioned tables only, not on-demand requests.
 */
export const FREE_TIER = {
  lambdaGbSeconds: 400_000,
  lambdaRequests: 1_000_000,
  sqsRequests: 1_000_000,
  cloudWatchMetrics: 10,
  cloudWatchAlarms: 10,
  /** Three dashboards of up to 50 metrics each. */
  cloudWatchDashboards: 3,
  logsIngestGb: 5,
  logsStoreGb: 5,
  kmsRequests: 20_000,
  dynamoStorageGb: 25,
} as const;
export type FreeTierKey = keyof typeof FREE_TIER;
