package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/routes"
)

// consumerBatchSize is the most jobs one invocation takes from its queue.
const consumerBatchSize = 10

// connectConsumers makes each queue drive its consumer. Partial batch
// responses let one poison job fail alone instead of its whole batch; the
// event source grants the consumer exactly the SQS actions it needs.
func connectConsumers(p Props, fns map[string]function, q queues) {
	for name, jq := range map[string]jobQueue{routes.Timeline: q.Timeline, routes.Memorialize: q.Memorialize} {
		fns[name].Fn.AddEventSource(awslambdaeventsources.NewSqsEventSource(jq.Queue, &awslambdaeventsources.SqsEventSourceProps{
			BatchSize:               jsii.Number(consumerBatchSize),
			ReportBatchItemFailures: jsii.Bool(true),
			MaxConcurrency:          jsii.Number(float64(p.MaxConcurrency)),
		}))
	}
}
