package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
	"github.com/crmflow/crmflow/shared/store/storetest"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// newTable creates a table of its own for tb on moto and returns a store on it.
func newTable(tb testing.TB, optFns ...func(*dynamodb.Options)) *dynamo.Store {
	tb.Helper()
	client := dynamodb.NewFromConfig(mototest.Config(tb), optFns...)
	table := mototest.UniqueName(tb)
	if err := dynamo.CreateTable(context.Background(), client, table); err != nil {
		tb.Fatal(err)
	}
	return dynamo.New(client, table)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t,
		func(t *testing.T) store.Store { return newTable(t) },
		storetest.Options{SetNow: func(s store.Store, now func() time.Time) { s.(*dynamo.Store).Now = now }},
	)
}

func TestCreateTableIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := awsclient.DynamoDB(mototest.Config(t))
	table := mototest.UniqueName(t)
	for range 2 {
		if err := dynamo.CreateTable(ctx, client, table); err != nil {
			t.Fatal(err)
		}
	}
	ttl, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; d == nil || d.AttributeName == nil || *d.AttributeName != "ttl" {
		t.Errorf("TTL = %+v, want enabled on ttl", d)
	}
}

// opRecorder records the name of every DynamoDB operation a client sends.
type opRecorder struct {
	mu  sync.Mutex
	ops []string
}

func (r *opRecorder) register(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("recordOp",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				r.mu.Lock()
				r.ops = append(r.ops, awsmiddleware.GetOperationName(ctx))
				r.mu.Unlock()
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	})
}

func (r *opRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := r.ops
	r.ops = nil
	return ops
}

// TestWriteCardOneCall: a search adds its results to the card with a single
// DynamoDB call and no read, whatever the card already holds.
func TestWriteCardOneCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var rec opRecorder
	s := newTable(t, rec.register)
	writes := func(n int, section string) []store.CardWrite {
		var ws []store.CardWrite
		for i := range n {
			ws = append(ws, store.CardWrite{Record: store.CardRecord{Entity: "Contact", ID: fmt.Sprint("003", i), Display: "x"}, Section: section})
		}
		return ws
	}
	cases := []struct {
		name string
		ws   []store.CardWrite
		want []string
	}{
		{"no records", nil, []string{"BatchWriteItem"}},
		{"one current", writes(1, store.SectionCurrent), []string{"BatchWriteItem"}},
		{"24 related on an existing card", writes(24, store.SectionRelated), []string{"BatchWriteItem"}},
		{"over one batch", writes(30, store.SectionRelated), []string{"BatchWriteItem", "BatchWriteItem"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec.take()
			if err := s.WriteCard(ctx, "tenant-a", "contact-1", "conf-1", c.ws); err != nil {
				t.Fatal(err)
			}
			if got := rec.take(); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("WriteCard sent %v, want %v", got, c.want)
			}
		})
	}
	if _, err := s.GetCard(ctx, "tenant-a", "contact-1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.take(); fmt.Sprint(got) != "[Query]" {
		t.Errorf("GetCard sent %v, want [Query]", got)
	}
}

func BenchmarkWriteCardGetCard(b *testing.B) {
	ctx := context.Background()
	s := newTable(b)
	ws := make([]store.CardWrite, 5)
	for i := range ws {
		ws[i] = store.CardWrite{Section: store.SectionRelated, Record: store.CardRecord{
			Entity: "Contact", ID: fmt.Sprint("003", i), Display: "Ada Lovelace",
			Fields: []store.CardField{{Name: "Phone", Label: "Phone", Value: "+15551234567"}, {Name: "Email", Label: "Email", Value: "ada@example.com"}},
		}}
	}
	for i := 0; b.Loop(); i++ {
		contact := fmt.Sprint("contact-", i%50)
		if err := s.WriteCard(ctx, "tenant-a", contact, "conf-1", ws); err != nil {
			b.Fatal(err)
		}
		if _, err := s.GetCard(ctx, "tenant-a", contact); err != nil {
			b.Fatal(err)
		}
	}
}
