import { Fn, Validations } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import { Construct } from 'constructs'
import type { ExistingNetwork, IngressPortRange } from '../fargated-defaults.js'

export interface NetworkProps {
  /** Run tasks here instead of a new VPC. @default - a new VPC (2 AZs, public subnets, no NAT) */
  readonly existing?: ExistingNetwork
  /** CIDRs allowed to reach `ingressPorts` on tasks (ignored with an existing security group). */
  readonly ingressCidrs: string[]
  readonly ingressPorts: IngressPortRange[]
}

/**
 * Where tasks run: the VPC, the task subnets and the task security group. The new VPC has
 * public subnets only and no NAT gateway (tasks get public IPs, so there is no hourly NAT
 * cost); an existing network is imported by id without lookups, so synth stays offline.
 */
export class Network extends Construct {
  public readonly vpc: ec2.IVpc
  public readonly subnetIds: string[]
  public readonly taskSecurityGroup: ec2.ISecurityGroup

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id)
    if (props.existing) {
      const existing = props.existing
      // No account lookup: the cluster and the security group only use the VPC id, and the
      // task subnets go to RunTask by id (the region's AZs stand in for the VPC's).
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: existing.vpcId, availabilityZones: Fn.getAzs() })
      this.subnetIds = [...existing.subnetIds]
      this.taskSecurityGroup = existing.securityGroupId
        ? ec2.SecurityGroup.fromSecurityGroupId(this, 'TaskSecurityGroup', existing.securityGroupId, { mutable: false })
        : this.createTaskSecurityGroup(props)
      return
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [{ name: 'tasks', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 20 }],
    })
    Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason: 'The VPC only carries the user containers; flow logs are a per-GB cost the operator can add, and task traffic is visible through the task security group and CloudTrail ENI events.',
    })
    this.vpc = vpc
    this.subnetIds = vpc.publicSubnets.map((s) => s.subnetId)
    this.taskSecurityGroup = this.createTaskSecurityGroup(props)
  }

  private createTaskSecurityGroup(props: NetworkProps): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'fargated tasks: all egress; ingress only to published ports from the configured CIDRs',
      allowAllOutbound: true,
    })
    for (const cidr of props.ingressCidrs) {
      const peer = cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr)
      for (const range of props.ingressPorts) {
        const port = range.protocol === 'udp' ? ec2.Port.udpRange(range.from, range.to) : ec2.Port.tcpRange(range.from, range.to)
        group.addIngressRule(peer, port, `published ports ${range.from}-${range.to}/${range.protocol} from ${cidr}`)
      }
    }
    if (props.ingressCidrs.some((c) => c === '0.0.0.0/0' || c === '::/0')) {
      const reason = 'The operator opened published container ports to the internet through the ingressCidrs context; only those ports are open.'
      Validations.of(group).acknowledge({ id: 'AwsSolutions-EC23', reason })
      // The CloudFormation validator's warning for "sensitive" ports inside the open range.
      Validations.of(group).acknowledge({ id: 'CloudFormation-Validate::W2508', reason })
    }
    return group
  }
}
