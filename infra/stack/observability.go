package stack

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/routes"
)

// Metric alarms and the dashboard over the EMF metrics the functions write
// (shared/metrics; names and dimensions in docs/deploy.md).
const (
	// slowSearchMs is the search p95 that alarms: most of the default 4 s
	// Studio deadline spent, so IVRs are close to giving up.
	slowSearchMs = 3000
	dashPeriod   = 5 * time.Minute
)

// breakerFunctions are the functions whose circuit breakers can open.
var breakerFunctions = []string{routes.Search, routes.Create, routes.Update, routes.Timeline, routes.Memorialize}

func appMetric(name, statistic string, dims map[string]string) awscloudwatch.Metric {
	d := map[string]*string{}
	for k, v := range dims {
		d[k] = jsii.String(v)
	}
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String(metrics.Namespace),
		MetricName: jsii.String(name), DimensionsMap: &d, Statistic: jsii.String(statistic), Period: seconds(alarmPeriod)})
}

// newMetricAlarms: a circuit breaker opened (a CRM is down or rate limiting
// for one configuration), and searches slow enough to threaten Studio's
// deadline.
func newMetricAlarms(alarm func(id, description string, m awscloudwatch.IMetric, threshold float64)) {
	for _, fn := range breakerFunctions {
		alarm(constructID(fn)+"BreakerOpens", "a CRM circuit breaker opened in "+fn+" (the CRM failed 5 times in a row; see the CRM dimension)",
			appMetric(metrics.BreakerOpens, "Sum", map[string]string{metrics.DimFunction: fn}), 0)
	}
	alarm("SlowSearch", fmt.Sprintf("search p95 above %d ms", slowSearchMs),
		appMetric(metrics.SearchLatency, "p95", map[string]string{metrics.DimFunction: routes.Search}), slowSearchMs)
}

// search is a CloudWatch SEARCH over one metric of every value of dims.
func search(label, metric, statistic string, dims ...string) awscloudwatch.IMetric {
	schema := metrics.Namespace
	for _, d := range dims {
		schema += "," + d
	}
	expr := fmt.Sprintf(`SEARCH('{%s} MetricName="%s"', '%s', %d)`, schema, metric, statistic, int(dashPeriod.Seconds()))
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{Expression: jsii.String(expr),
		Label: jsii.String(label), Period: seconds(dashPeriod)})
}

func graph(title string, ms ...awscloudwatch.IMetric) awscloudwatch.IWidget {
	return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Left: &ms,
		Width: jsii.Number(12), Height: jsii.Number(6)})
}

// newDashboard is the one page an operator opens: search speed and matches
// per CRM, CRM errors by portable code, tokens and breakers, job outcomes,
// job age and the dead-letter queues.
func newDashboard(scope constructs.Construct, p Props, q queues) {
	max := &awscloudwatch.MetricOptions{Period: seconds(dashPeriod), Statistic: jsii.String("Maximum")}
	crm := []string{metrics.DimCRM, metrics.DimFunction}
	widgets := []awscloudwatch.IWidget{
		graph("Search latency by CRM (p50, p95, ms)",
			search("p50", metrics.SearchLatency, "p50", crm...), search("p95", metrics.SearchLatency, "p95", crm...)),
		graph("Searches without a match (share) and matches per search",
			search("no match", metrics.SearchNoMatch, "Average", crm...), search("matches", metrics.SearchMatches, "Average", crm...)),
		graph("CRM calls by CRM", search("calls", metrics.CRMCalls, "Sum", crm...)),
		graph("CRM errors by portable code", search("errors", metrics.CRMErrors, "Sum", metrics.DimCRM, metrics.DimCode, metrics.DimFunction)),
		graph("Token fetches and breaker openings",
			search("token fetches", metrics.TokenFetches, "Sum", crm...), search("breaker opens", metrics.BreakerOpens, "Sum", crm...)),
		graph("Post-call jobs by outcome", search("jobs", metrics.JobOutcome, "Sum", metrics.DimAction, metrics.DimFunction, metrics.DimOutcome)),
		graph("Job age at the end (p95, ms)", search("age p95", metrics.JobAge, "p95", metrics.DimAction, metrics.DimFunction)),
		graph("Dead-letter queues", q.Timeline.DLQ.MetricApproximateNumberOfMessagesVisible(max),
			q.Memorialize.DLQ.MetricApproximateNumberOfMessagesVisible(max)),
	}
	awscloudwatch.NewDashboard(scope, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DashboardName: jsii.String(p.StackName()),
		Widgets:       &[]*[]awscloudwatch.IWidget{&widgets},
	})
}
