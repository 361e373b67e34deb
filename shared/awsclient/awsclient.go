// Package awsclient loads the AWS SDK configuration every function and the
// local run share, and builds the service clients from it. With
// CRMFLOW_AWS_ENDPOINT set (./scripts/dev, tests) every client talks to that
// endpoint — moto_server on loopback — instead of AWS; nothing else differs,
// so local runs go through the same SDK code paths as Lambda.
package awsclient

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/tracing"
)

// Load reads the standard AWS configuration (region, credentials from the
// Lambda environment). When CRMFLOW_AWS_ENDPOINT is set it must be a loopback
// URL; clients then use it with static test credentials.
func Load(ctx context.Context) (aws.Config, error) {
	return LoadEndpoint(ctx, os.Getenv(routes.EnvAWSEndpoint))
}

// LoadEndpoint is Load with an explicit local endpoint ("" = real AWS).
func LoadEndpoint(ctx context.Context, endpoint string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{}
	if endpoint != "" {
		if err := checkLoopback(endpoint); err != nil {
			return aws.Config{}, err
		}
		opts = append(opts,
			config.WithBaseEndpoint(endpoint),
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("testing", "testing", "")),
		)
		if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
			opts = append(opts, config.WithRegion("us-east-1"))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, err
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("no AWS region: set AWS_REGION")
	}
	tracing.AWS(&cfg)
	return cfg, nil
}

// checkLoopback refuses a local endpoint that is not on this machine, so a
// stray variable can never send test traffic elsewhere.
func checkLoopback(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s=%q is not a URL", routes.EnvAWSEndpoint, endpoint)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s must point at a loopback address, not %q", routes.EnvAWSEndpoint, host)
}

// DynamoDB builds a DynamoDB client.
func DynamoDB(cfg aws.Config) *dynamodb.Client { return dynamodb.NewFromConfig(cfg) }

// SQS builds an SQS client (JSON protocol).
func SQS(cfg aws.Config) *sqs.Client { return sqs.NewFromConfig(cfg) }

// SecretsManager builds a Secrets Manager client.
func SecretsManager(cfg aws.Config) *secretsmanager.Client { return secretsmanager.NewFromConfig(cfg) }
