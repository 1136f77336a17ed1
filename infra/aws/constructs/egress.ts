// A fixed egress IP for the order executor (context `executorEgress=nat`): Binance unchecks "Enable
// Spot & Margin Trading" on a key without an IP whitelist after 30 days, and Lambda has no fixed
// address. The executor then runs in a private subnet whose traffic leaves through one NAT gateway
// with an Elastic IP — the one address to whitelist on the trading key. One AZ (a NAT per AZ would
// double the bill; if the AZ fails, orders wait with the rest of that AZ, and exchange-side stops
// protect positions meanwhile). Cost: see `npm run cost` (the "fixed egress IP" scenario).
import { CfnOutput, Validations } from 'aws-cdk-lib';
import { GatewayVpcEndpointAwsService, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export type ExecutorEgress = 'lambda' | 'nat';

export class FixedEgress extends Construct {
  readonly vpc: Vpc;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.42.0.0/24'),
      maxAzs: 1,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 26 },
        { name: 'executor', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 26 },
      ],
      // Flow logs would bill per GB for one function's HTTPS calls; CloudTrail and the executor's own
      // structured logs already record what it does.
    });
    Validations.of(this.vpc).acknowledge({
      id: 'AwsSolutions::AwsSolutions-VPC7',
      reason:
        "The VPC carries one function's HTTPS calls to Binance and AWS; flow logs would bill per GB for what CloudTrail and the executor's own logs already record.",
    });
    // DynamoDB through a gateway endpoint (free) rather than the NAT (billed per GB).
    this.vpc.addGatewayEndpoint('DynamoDb', { service: GatewayVpcEndpointAwsService.DYNAMODB });
    const eip = this.vpc.publicSubnets[0]!.node.tryFindChild('EIP') as { ref?: string } | undefined;
    new CfnOutput(scope, 'ExecutorEgressIp', {
      value: eip?.ref ?? '(see the NAT gateway in the VPC console)',
      description:
        'Whitelist this IP on the Binance trading key (API management → Restrict access to trusted IPs)',
    });
  }
}
