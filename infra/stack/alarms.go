package stack

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/routes"
)

// alarmPeriod is the window each alarm looks at.
const alarmPeriod = 5 * time.Minute

// newAlarms raises an alarm on anything above zero that means a lost or
// failed request or job: a message in a dead-letter queue, an API 5xx, a
// function error or throttle. Without an alarm topic they only show in the
// console.
func newAlarms(scope constructs.Construct, p Props, a api, fns map[string]function, q queues) {
	c := constructs.NewConstruct(scope, jsii.String("Alarms"))
	var notify awscloudwatch.IAlarmAction
	if p.AlarmTopicArn != "" {
		topic := awssns.Topic_FromTopicArn(c, jsii.String("Topic"), jsii.String(p.AlarmTopicArn))
		notify = awscloudwatchactions.NewSnsAction(topic)
	}
	alarmAbove := func(id, description string, metric awscloudwatch.IMetric, threshold float64) {
		al := awscloudwatch.NewAlarm(c, jsii.String(id), &awscloudwatch.AlarmProps{
			Metric:             metric,
			AlarmDescription:   jsii.String("crmflow " + p.Stage + ": " + description),
			Threshold:          jsii.Number(threshold),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			EvaluationPeriods:  jsii.Number(1),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		if notify != nil {
			al.AddAlarmAction(notify)
			al.AddOkAction(notify)
		}
	}
	alarm := func(id, description string, metric awscloudwatch.IMetric) { alarmAbove(id, description, metric, 0) }
	sum := &awscloudwatch.MetricOptions{Period: seconds(alarmPeriod), Statistic: jsii.String("Sum")}
	max := &awscloudwatch.MetricOptions{Period: seconds(alarmPeriod), Statistic: jsii.String("Maximum")}

	alarm("TimelineDeadLetters", "timeline jobs in the dead-letter queue (./scripts/redrive after fixing the cause)",
		q.Timeline.DLQ.MetricApproximateNumberOfMessagesVisible(max))
	alarm("MemorializeDeadLetters", "memorialization jobs in the dead-letter queue (./scripts/redrive after fixing the cause)",
		q.Memorialize.DLQ.MetricApproximateNumberOfMessagesVisible(max))
	alarm("Api5xx", "API answered 5xx", a.Api.MetricServerError(sum))
	for _, name := range routes.AllFunctions {
		fn := fns[name].Fn
		alarm(constructID(name)+"Errors", name+" function errors", fn.MetricErrors(sum))
		alarm(constructID(name)+"Throttles", name+" function throttled", fn.MetricThrottles(sum))
	}
	newMetricAlarms(alarmAbove)
}
