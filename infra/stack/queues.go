package stack

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

const (
	// maxReceiveCount is how many deliveries a job gets before its dead-letter queue.
	maxReceiveCount = 5
	dlqRetention    = 14 * 24 * time.Hour
	// visibilityFactor follows AWS's advice for Lambda event sources: a
	// visibility timeout of six times the function timeout, so a message is
	// not redelivered while an invocation (and its retries) still holds it.
	visibilityFactor = 6
)

// jobQueue is a post-call job queue and its dead-letter queue.
type jobQueue struct {
	Queue, DLQ awssqs.Queue
}

// queues are the two post-call job queues.
type queues struct {
	Timeline, Memorialize jobQueue
}

func newQueues(scope constructs.Construct) queues {
	return queues{
		Timeline:    newJobQueue(scope, "Timeline"),
		Memorialize: newJobQueue(scope, "Memorialize"),
	}
}

func newJobQueue(scope constructs.Construct, id string) jobQueue {
	dlq := awssqs.NewQueue(scope, jsii.String(id+"DeadLetterQueue"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: seconds(dlqRetention),
	})
	q := awssqs.NewQueue(scope, jsii.String(id+"Queue"), &awssqs.QueueProps{
		Encryption:        awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		VisibilityTimeout: seconds(visibilityFactor * consumerTimeout),
		DeadLetterQueue:   &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(maxReceiveCount)},
	})
	return jobQueue{Queue: q, DLQ: dlq}
}

func seconds(d time.Duration) awscdk.Duration {
	return awscdk.Duration_Seconds(jsii.Number(d.Seconds()))
}
