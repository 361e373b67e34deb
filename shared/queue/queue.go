// Package queue is the SQS adapter: queues with dead-letter queues, send,
// receive, delete, visibility changes, depth, and the redrive that puts
// dead-lettered messages back. Callers that only enqueue depend on Sender.
package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Sender enqueues a message; delay postpones its first delivery.
type Sender interface {
	Send(ctx context.Context, url, body string, delay time.Duration) (messageID string, err error)
}

// SQS talks to Amazon SQS (or moto_server).
type SQS struct {
	client *sqs.Client
}

var _ Sender = (*SQS)(nil)

// NewSQS returns the adapter on client.
func NewSQS(client *sqs.Client) *SQS { return &SQS{client: client} }

// QueueOptions shapes a queue made by CreateQueue.
type QueueOptions struct {
	// VisibilityTimeout is how long a received message stays hidden; 0 keeps SQS's default (30 s).
	VisibilityTimeout time.Duration
	// MaxReceiveCount is how many receives a message gets before SQS moves it
	// to the dead-letter queue; 0 means 5.
	MaxReceiveCount int
	// NoDLQ makes a queue without a dead-letter queue.
	NoDLQ bool
}

// Queue names a queue and its dead-letter queue (empty with NoDLQ).
type Queue struct {
	Name   string
	URL    string
	ARN    string
	DLQURL string
	DLQARN string
}

// Message is a received message.
type Message struct {
	ID            string
	Body          string
	ReceiptHandle string
	// ReceiveCount counts deliveries, this one included.
	ReceiveCount int
	SentAt       time.Time
}

// Limits SQS puts on its API.
const (
	dlqRetention    = 14 * 24 * time.Hour // the longest SQS keeps a message
	defaultReceives = 5
	maxReceiveBatch = 10
	maxWait         = 20 * time.Second
	maxDelay        = 15 * time.Minute
	maxVisibility   = 12 * time.Hour
)

// CreateQueue creates name-dlq (with NoDLQ, nothing) and then name,
// redriving to it after MaxReceiveCount receives. Creating an existing queue
// with the same options returns it.
func (q *SQS) CreateQueue(ctx context.Context, name string, o QueueOptions) (Queue, error) {
	out := Queue{Name: name}
	attrs := map[string]string{}
	if o.VisibilityTimeout > 0 {
		if o.VisibilityTimeout > maxVisibility {
			return Queue{}, fmt.Errorf("sqs: CreateQueue %s: visibility timeout %s over %s", name, o.VisibilityTimeout, maxVisibility)
		}
		attrs[string(types.QueueAttributeNameVisibilityTimeout)] = seconds(o.VisibilityTimeout)
	}
	if !o.NoDLQ {
		var err error
		out.DLQURL, out.DLQARN, err = q.create(ctx, name+"-dlq", map[string]string{
			string(types.QueueAttributeNameMessageRetentionPeriod): seconds(dlqRetention),
		})
		if err != nil {
			return Queue{}, err
		}
		receives := o.MaxReceiveCount
		if receives <= 0 {
			receives = defaultReceives
		}
		policy, err := json.Marshal(map[string]string{"deadLetterTargetArn": out.DLQARN, "maxReceiveCount": strconv.Itoa(receives)})
		if err != nil {
			return Queue{}, err
		}
		attrs[string(types.QueueAttributeNameRedrivePolicy)] = string(policy)
	}
	var err error
	out.URL, out.ARN, err = q.create(ctx, name, attrs)
	if err != nil {
		return Queue{}, err
	}
	return out, nil
}

func (q *SQS) create(ctx context.Context, name string, attrs map[string]string) (url, arn string, err error) {
	res, err := q.client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &name, Attributes: attrs})
	if err != nil {
		return "", "", fmt.Errorf("sqs: CreateQueue %s: %w", name, err)
	}
	got, err := q.client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: res.QueueUrl, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return "", "", fmt.Errorf("sqs: GetQueueAttributes %s: %w", name, err)
	}
	return aws.ToString(res.QueueUrl), got.Attributes[string(types.QueueAttributeNameQueueArn)], nil
}

// Send enqueues body; delay (whole seconds, at most 15 minutes) postpones delivery.
func (q *SQS) Send(ctx context.Context, url, body string, delay time.Duration) (string, error) {
	if delay < 0 || delay > maxDelay {
		return "", fmt.Errorf("sqs: SendMessage: delay %s outside 0..%s", delay, maxDelay)
	}
	res, err := q.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: &url, MessageBody: &body, DelaySeconds: int32(delay.Round(time.Second) / time.Second),
	})
	if err != nil {
		return "", fmt.Errorf("sqs: SendMessage: %w", err)
	}
	return aws.ToString(res.MessageId), nil
}

// Receive returns up to limit messages (at most 10), long-polling up to wait
// (at most 20 s) when none is ready. visibility hides them for that long; 0
// keeps the queue's visibility timeout.
func (q *SQS) Receive(ctx context.Context, url string, limit int, wait, visibility time.Duration) ([]Message, error) {
	in := &sqs.ReceiveMessageInput{
		QueueUrl:            &url,
		MaxNumberOfMessages: int32(min(max(limit, 1), maxReceiveBatch)),
		WaitTimeSeconds:     int32(min(wait, maxWait) / time.Second),
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{
			types.MessageSystemAttributeNameApproximateReceiveCount,
			types.MessageSystemAttributeNameSentTimestamp,
		},
	}
	if visibility > 0 {
		in.VisibilityTimeout = int32(min(visibility, maxVisibility) / time.Second)
	}
	res, err := q.client.ReceiveMessage(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("sqs: ReceiveMessage: %w", err)
	}
	out := make([]Message, 0, len(res.Messages))
	for _, m := range res.Messages {
		msg := Message{ID: aws.ToString(m.MessageId), Body: aws.ToString(m.Body), ReceiptHandle: aws.ToString(m.ReceiptHandle)}
		msg.ReceiveCount, _ = strconv.Atoi(m.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
		if ms, err := strconv.ParseInt(m.Attributes[string(types.MessageSystemAttributeNameSentTimestamp)], 10, 64); err == nil {
			msg.SentAt = time.UnixMilli(ms).UTC()
		}
		out = append(out, msg)
	}
	return out, nil
}

// Delete removes a received message: it was handled.
func (q *SQS) Delete(ctx context.Context, url, receipt string) error {
	if _, err := q.client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: &receipt}); err != nil {
		return fmt.Errorf("sqs: DeleteMessage: %w", err)
	}
	return nil
}

// ChangeVisibility hides a received message for d from now; 0 makes it
// visible again at once (retry now), longer backs the retry off.
func (q *SQS) ChangeVisibility(ctx context.Context, url, receipt string, d time.Duration) error {
	if d < 0 || d > maxVisibility {
		return fmt.Errorf("sqs: ChangeMessageVisibility: %s outside 0..%s", d, maxVisibility)
	}
	_, err := q.client.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
		QueueUrl: &url, ReceiptHandle: &receipt, VisibilityTimeout: int32(d / time.Second),
	})
	if err != nil {
		return fmt.Errorf("sqs: ChangeMessageVisibility: %w", err)
	}
	return nil
}

// Depth returns SQS's approximate counts of waiting and in-flight messages.
func (q *SQS) Depth(ctx context.Context, url string) (visible, inFlight int, err error) {
	res, err := q.client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: &url,
		AttributeNames: []types.QueueAttributeName{
			types.QueueAttributeNameApproximateNumberOfMessages,
			types.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		},
	})
	if err != nil {
		return 0, 0, fmt.Errorf("sqs: GetQueueAttributes: %w", err)
	}
	visible, err = strconv.Atoi(res.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
	if err != nil {
		return 0, 0, fmt.Errorf("sqs: GetQueueAttributes: visible count: %w", err)
	}
	inFlight, err = strconv.Atoi(res.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	if err != nil {
		return 0, 0, fmt.Errorf("sqs: GetQueueAttributes: in-flight count: %w", err)
	}
	return visible, inFlight, nil
}

// redriveVisibility hides a message being moved long enough to send and delete it.
const redriveVisibility = 60 * time.Second

// redriveWait makes each receive a long poll: a short poll samples only some
// SQS servers and may answer empty while messages remain.
const redriveWait = time.Second

// Redrive moves up to limit messages (limit ≤ 0: all there are) from a
// dead-letter queue back to toURL: each is sent before it is deleted, so a
// failure midway duplicates a message rather than losing it.
func (q *SQS) Redrive(ctx context.Context, fromDLQURL, toURL string, limit int) (moved int, err error) {
	for limit <= 0 || moved < limit {
		batch := maxReceiveBatch
		if limit > 0 {
			batch = min(batch, limit-moved)
		}
		msgs, err := q.Receive(ctx, fromDLQURL, batch, redriveWait, redriveVisibility)
		if err != nil {
			return moved, fmt.Errorf("redrive: %w", err)
		}
		if len(msgs) == 0 {
			return moved, nil
		}
		for _, m := range msgs {
			if _, err := q.Send(ctx, toURL, m.Body, 0); err != nil {
				return moved, fmt.Errorf("redrive: %w", err)
			}
			if err := q.Delete(ctx, fromDLQURL, m.ReceiptHandle); err != nil {
				return moved, fmt.Errorf("redrive: %w", err)
			}
			moved++
		}
	}
	return moved, nil
}

// seconds formats d as the whole seconds SQS attributes take.
func seconds(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }
