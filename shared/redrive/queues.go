package redrive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// QueueAPI is the part of the SQS client that finds queues; *sqs.Client has it.
type QueueAPI interface {
	GetQueueUrl(ctx context.Context, in *sqs.GetQueueUrlInput, opts ...func(*sqs.Options)) (*sqs.GetQueueUrlOutput, error)
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, opts ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
}

var _ QueueAPI = (*sqs.Client)(nil)

// Target names the queues of a redrive: the job queue by Name or by URL, and
// the dead-letter queue by DLQURL, or else through the job queue's redrive
// policy, so the pair cannot be mismatched.
type Target struct {
	Name   string
	URL    string
	DLQURL string
}

// Resolve returns the dead-letter queue and job queue URLs of t.
func Resolve(ctx context.Context, client QueueAPI, t Target) (fromDLQ, to string, err error) {
	to, fromDLQ = t.URL, t.DLQURL
	switch {
	case t.Name != "" && t.URL != "":
		return "", "", errors.New("redrive: name the job queue by name or by URL, not both")
	case t.Name != "":
		if to, err = queueURL(ctx, client, t.Name, ""); err != nil {
			return "", "", err
		}
	case t.URL == "":
		return "", "", errors.New("redrive: no job queue named")
	}
	if fromDLQ == "" {
		if fromDLQ, err = deadLetterQueueURL(ctx, client, to); err != nil {
			return "", "", err
		}
	}
	return fromDLQ, to, nil
}

func queueURL(ctx context.Context, client QueueAPI, name, account string) (string, error) {
	in := &sqs.GetQueueUrlInput{QueueName: &name}
	if account != "" {
		in.QueueOwnerAWSAccountId = &account
	}
	res, err := client.GetQueueUrl(ctx, in)
	if err != nil {
		return "", fmt.Errorf("redrive: find queue %s: %w", name, err)
	}
	return aws.ToString(res.QueueUrl), nil
}

// deadLetterQueueURL finds a queue's dead-letter queue through its redrive policy.
func deadLetterQueueURL(ctx context.Context, client QueueAPI, jobQueueURL string) (string, error) {
	res, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: &jobQueueURL, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameRedrivePolicy},
	})
	if err != nil {
		return "", fmt.Errorf("redrive: read redrive policy of %s: %w", jobQueueURL, err)
	}
	raw := res.Attributes[string(types.QueueAttributeNameRedrivePolicy)]
	if raw == "" {
		return "", fmt.Errorf("redrive: %s has no dead-letter queue (no redrive policy); name it with -from", jobQueueURL)
	}
	var policy struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	}
	if err := json.Unmarshal([]byte(raw), &policy); err != nil {
		return "", fmt.Errorf("redrive: redrive policy of %s: %w", jobQueueURL, err)
	}
	// arn:<partition>:sqs:<region>:<account>:<name>
	parts := strings.Split(policy.DeadLetterTargetArn, ":")
	if len(parts) != 6 || parts[2] != "sqs" {
		return "", fmt.Errorf("redrive: redrive policy of %s: %q is not a queue ARN", jobQueueURL, policy.DeadLetterTargetArn)
	}
	return queueURL(ctx, client, parts[5], parts[4])
}
