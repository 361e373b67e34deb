package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// maxBatch is BatchWriteItem's limit of requests per call.
const maxBatch = 25

// maxBatchAttempts bounds the retries of unprocessed items (throttling).
const maxBatchAttempts = 8

// batchWrite writes reqs with as few BatchWriteItem calls as the 25-item limit
// allows, retrying unprocessed items with exponential backoff. reqs must not
// hold two requests for one key.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for start := 0; start < len(reqs); start += maxBatch {
		chunk := reqs[start:min(start+maxBatch, len(reqs))]
		pending := map[string][]types.WriteRequest{s.table: chunk}
		backoff := 25 * time.Millisecond
		for attempt := 1; ; attempt++ {
			res, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return err
			}
			if len(res.UnprocessedItems) == 0 || len(res.UnprocessedItems[s.table]) == 0 {
				break
			}
			if attempt == maxBatchAttempts {
				return fmt.Errorf("%d items still unprocessed after %d attempts", len(res.UnprocessedItems[s.table]), attempt)
			}
			pending = res.UnprocessedItems
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(backoff):
			}
			backoff *= 2
		}
	}
	return nil
}

func putRequest(it map[string]types.AttributeValue) types.WriteRequest {
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
}

func deleteRequest(it map[string]types.AttributeValue) types.WriteRequest {
	return types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{attrPK: it[attrPK], attrSK: it[attrSK]}}}
}

// dedupe keeps the last request for each key: BatchWriteItem rejects a call
// that names one key twice, and the last write is the one that would win.
func dedupe(reqs []types.WriteRequest) []types.WriteRequest {
	last := map[key]int{}
	keyOf := func(r types.WriteRequest) key {
		var m map[string]types.AttributeValue
		if r.PutRequest != nil {
			m = r.PutRequest.Item
		} else {
			m = r.DeleteRequest.Key
		}
		return key{str(m[attrPK]), str(m[attrSK])}
	}
	for i, r := range reqs {
		last[keyOf(r)] = i
	}
	if len(last) == len(reqs) {
		return reqs
	}
	out := make([]types.WriteRequest, 0, len(last))
	for i, r := range reqs {
		if last[keyOf(r)] == i {
			out = append(out, r)
		}
	}
	return out
}

func str(av types.AttributeValue) string {
	if s, ok := av.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}
