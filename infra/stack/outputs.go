package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/jsii-runtime-go"
)

// newOutputs are what an operator needs after a deploy: the URL to give
// Studio scripts, the table for ./scripts/platform-key, the queues for
// ./scripts/redrive.
func newOutputs(st awscdk.Stack, a api, table awsdynamodb.Table, q queues) {
	out := func(id, description string, value *string) {
		awscdk.NewCfnOutput(st, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	out("ApiUrl", "Base URL of the crmflow HTTP API", a.Stage.Url())
	out("TableName", "DynamoDB table", table.TableName())
	out("TimelineQueueUrl", "Timeline job queue", q.Timeline.Queue.QueueUrl())
	out("TimelineDeadLetterQueueUrl", "Timeline dead-letter queue", q.Timeline.DLQ.QueueUrl())
	out("MemorializeQueueUrl", "Memorialization job queue", q.Memorialize.Queue.QueueUrl())
	out("MemorializeDeadLetterQueueUrl", "Memorialization dead-letter queue", q.Memorialize.DLQ.QueueUrl())
}
