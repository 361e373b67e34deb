// Package eventsource is the local run's stand-in for Lambda's SQS event
// source mapping: it long-polls a queue, hands batches to a consumer as
// events.SQSEvent, and deletes what the consumer handled, honouring partial
// batch responses (ReportBatchItemFailures). What it does not delete comes
// back after its visibility timeout, and the queue's redrive policy moves it
// to the dead-letter queue after maxReceiveCount receives: SQS (moto) does
// that, exactly as in AWS.
//
// A Poller runs one batch at a time; Lambda scales out with several pollers
// and concurrent invocations, which several Run goroutines on one queue imitate.
package eventsource

import (
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/queue"
)

// Queue is what the poller needs of SQS; *queue.SQS has it.
type Queue interface {
	Receive(ctx context.Context, url string, limit int, wait, visibility time.Duration) ([]queue.Message, error)
	Delete(ctx context.Context, url, receipt string) error
}

var _ Queue = (*queue.SQS)(nil)

// Handler is an SQS consumer's Lambda handler.
type Handler func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)

// MaxBatchSize is the most messages SQS returns per receive, and so per event.
const MaxBatchSize = 10

const (
	// pollWait is a receive's long poll, the longest SQS allows.
	pollWait = 20 * time.Second
	// retryPause spaces receives after a failed one (moto restarting, say).
	retryPause = time.Second
	// deleteTimeout bounds deleting a handled batch, which happens even after
	// Run's context ends: a handled message must not be handled twice.
	deleteTimeout = 10 * time.Second
)

// Poller feeds one queue to one handler.
type Poller struct {
	Queue Queue
	URL   string
	// ARN and Region fill eventSourceARN and awsRegion; when empty they are
	// derived from URL (https://sqs.<region>.amazonaws.com/<account>/<name>,
	// or moto's http://127.0.0.1:<port>/<account>/<name> in us-east-1).
	ARN    string
	Region string
	// BatchSize is the most messages per event (1..10; 0 means 10).
	BatchSize int
	// Visibility hides received messages for this long; 0 keeps the queue's.
	Visibility time.Duration
	// Timeout is the handler's deadline, as a function timeout would be; 0 is none.
	Timeout time.Duration
	Handler Handler
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Run polls until ctx ends, then returns nil once the batch in hand is
// settled. It returns an error only for a Poller that cannot run. A failed
// receive is logged and retried, as the event source mapping does.
func (p *Poller) Run(ctx context.Context) error {
	if err := p.check(); err != nil {
		return err
	}
	log := p.logger().With("queueUrl", p.URL)
	for ctx.Err() == nil {
		msgs, err := p.Queue.Receive(ctx, p.URL, p.batchSize(), pollWait, p.Visibility)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			log.ErrorContext(ctx, "receive failed; retrying", "error", err.Error())
			select {
			case <-ctx.Done():
			case <-time.After(retryPause):
			}
			continue
		}
		// Received as Run was stopped: left alone, they come back after
		// their visibility timeout like any unhandled message.
		if len(msgs) > 0 && ctx.Err() == nil {
			p.deliver(ctx, log, msgs)
		}
	}
	return nil
}

func (p *Poller) check() error {
	switch {
	case p.Queue == nil:
		return errors.New("eventsource: Poller needs a Queue")
	case p.URL == "":
		return errors.New("eventsource: Poller needs a queue URL")
	case p.Handler == nil:
		return errors.New("eventsource: Poller needs a Handler")
	case p.BatchSize < 0 || p.BatchSize > MaxBatchSize:
		return fmt.Errorf("eventsource: BatchSize %d outside 1..%d", p.BatchSize, MaxBatchSize)
	case p.Visibility < 0 || p.Timeout < 0:
		return errors.New("eventsource: negative Visibility or Timeout")
	}
	if p.ARN == "" || p.Region == "" {
		if _, _, err := SourceOf(p.URL, p.Region); err != nil {
			return err
		}
	}
	return nil
}

func (p *Poller) batchSize() int {
	if p.BatchSize == 0 {
		return MaxBatchSize
	}
	return p.BatchSize
}

func (p *Poller) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}

// deliver invokes the handler with one batch and deletes what succeeded.
func (p *Poller) deliver(ctx context.Context, log *slog.Logger, msgs []queue.Message) {
	ev := p.Event(msgs)
	res, err := p.invoke(ctx, ev)
	done := Succeeded(ev, res, err)
	if err != nil {
		log.ErrorContext(ctx, "handler failed; the whole batch will be retried", "messages", len(msgs), "error", err.Error())
	} else if len(done) < len(msgs) {
		log.InfoContext(ctx, "partial batch failure", "messages", len(msgs), "failed", len(msgs)-len(done))
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deleteTimeout)
	defer cancel()
	for _, m := range done {
		if err := p.Queue.Delete(dctx, p.URL, m.ReceiptHandle); err != nil {
			// It comes back and is handled again: the consumer is idempotent.
			log.ErrorContext(ctx, "delete of a handled message failed", "messageId", m.MessageId, "error", err.Error())
		}
	}
}

// invoke runs the handler, turning a panic into an error as Lambda turns a
// crashed invocation into a failed one.
func (p *Poller) invoke(ctx context.Context, ev events.SQSEvent) (res events.SQSEventResponse, err error) {
	if p.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.Timeout)
		defer cancel()
	}
	defer func() {
		if r := recover(); r != nil {
			p.logger().ErrorContext(ctx, "handler panicked", "queueUrl", p.URL, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return p.Handler(ctx, ev)
}

// Event builds the event Lambda would deliver for msgs.
func (p *Poller) Event(msgs []queue.Message) events.SQSEvent {
	arn, region := p.ARN, p.Region
	if arn == "" || region == "" {
		a, r, _ := SourceOf(p.URL, p.Region)
		arn, region = cmp.Or(arn, a), cmp.Or(region, r)
	}
	ev := events.SQSEvent{Records: make([]events.SQSMessage, len(msgs))}
	for i, m := range msgs {
		sum := md5.Sum([]byte(m.Body))
		attrs := map[string]string{"ApproximateReceiveCount": strconv.Itoa(m.ReceiveCount)}
		if !m.SentAt.IsZero() {
			attrs["SentTimestamp"] = strconv.FormatInt(m.SentAt.UnixMilli(), 10)
		}
		ev.Records[i] = events.SQSMessage{
			MessageId:         m.ID,
			ReceiptHandle:     m.ReceiptHandle,
			Body:              m.Body,
			Md5OfBody:         hex.EncodeToString(sum[:]),
			Attributes:        attrs,
			MessageAttributes: map[string]events.SQSMessageAttribute{},
			EventSource:       "aws:sqs",
			EventSourceARN:    arn,
			AWSRegion:         region,
		}
	}
	return ev
}

// Succeeded returns the records of ev to delete after the handler answered
// res, err — Lambda's rules with ReportBatchItemFailures: an error (or panic)
// fails the whole batch; otherwise every record not listed in
// batchItemFailures succeeded; a failure naming no record of the batch
// (empty or unknown itemIdentifier) fails the whole batch.
func Succeeded(ev events.SQSEvent, res events.SQSEventResponse, err error) []events.SQSMessage {
	if err != nil {
		return nil
	}
	failed := make(map[string]bool, len(res.BatchItemFailures))
	in := make(map[string]bool, len(ev.Records))
	for _, r := range ev.Records {
		in[r.MessageId] = true
	}
	for _, f := range res.BatchItemFailures {
		if !in[f.ItemIdentifier] {
			return nil
		}
		failed[f.ItemIdentifier] = true
	}
	out := make([]events.SQSMessage, 0, len(ev.Records)-len(failed))
	for _, r := range ev.Records {
		if !failed[r.MessageId] {
			out = append(out, r)
		}
	}
	return out
}

// defaultRegion is moto's region when the URL does not name one.
const defaultRegion = "us-east-1"

// SourceOf derives a queue's ARN and region from its URL. region, when set,
// wins over the URL's; a URL that names none (moto on loopback) gets us-east-1.
func SourceOf(queueURL, region string) (arn, gotRegion string, err error) {
	u, err := url.Parse(queueURL)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("eventsource: queue URL %q is not a URL", queueURL)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("eventsource: queue URL %q does not end in /<account>/<queue name>", queueURL)
	}
	if region == "" {
		// sqs.<region>.amazonaws.com, or the legacy <region>.queue.amazonaws.com
		host := strings.Split(u.Hostname(), ".")
		switch {
		case len(host) >= 4 && host[0] == "sqs":
			region = host[1]
		case len(host) >= 4 && host[1] == "queue":
			region = host[0]
		default:
			region = defaultRegion
		}
	}
	partition := "aws"
	if strings.HasPrefix(region, "cn-") {
		partition = "aws-cn"
	} else if strings.HasPrefix(region, "us-gov-") {
		partition = "aws-us-gov"
	}
	return fmt.Sprintf("arn:%s:sqs:%s:%s:%s", partition, region, parts[0], parts[1]), region, nil
}
