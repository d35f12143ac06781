// Per-file setup: tests never reach the network beyond loopback, and AWS SDK clients never
// look for real credentials.
process.env.AWS_REGION ??= 'us-east-1'
process.env.AWS_ACCESS_KEY_ID ??= 'test'
process.env.AWS_SECRET_ACCESS_KEY ??= 'test'
process.env.AWS_EC2_METADATA_DISABLED = 'true'
