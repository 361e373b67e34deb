package metrics

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"
)

// emf is the part of an EMF line CloudWatch reads.
type emf struct {
	AWS struct {
		Timestamp         int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string     `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name string `json:"Name"`
				Unit string `json:"Unit"`
			} `json:"Metrics"`
		} `json:"CloudWatchMetrics"`
	} `json:"_aws"`
}

func lines(t *testing.T, b *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(b)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %s", sc.Text())
		}
		var e emf
		_ = json.Unmarshal(sc.Bytes(), &e)
		if len(e.AWS.CloudWatchMetrics) != 1 || e.AWS.CloudWatchMetrics[0].Namespace != Namespace || e.AWS.Timestamp == 0 {
			t.Fatalf("not an EMF line of %s: %s", Namespace, sc.Text())
		}
		d := e.AWS.CloudWatchMetrics[0]
		name := d.Metrics[0].Name
		if _, ok := m[name].([]any); !ok {
			t.Fatalf("line lacks the values of %s: %s", name, sc.Text())
		}
		// Every dimension named is a top-level member of the line.
		for _, set := range d.Dimensions {
			for _, dim := range set {
				if _, ok := m[dim].(string); !ok {
					t.Fatalf("dimension %s missing from %s", dim, sc.Text())
				}
			}
		}
		out = append(out, m)
	}
	return out
}

func TestFlushWritesEMF(t *testing.T) {
	s := NewSet("search")
	s.now = func() time.Time { return time.UnixMilli(1700000000000) }
	s.Add(SearchLatency, Milliseconds, 41.5, DimCRM, "salesforce")
	s.Add(SearchLatency, Milliseconds, 43, DimCRM, "salesforce")
	s.Add(SearchLatency, Milliseconds, 60, DimCRM, "hubspot")
	s.Add(CRMErrors, Count, 1, DimCode, "UNAVAILABLE", DimCRM, "salesforce")
	var b bytes.Buffer
	if err := s.Flush(&b); err != nil {
		t.Fatal(err)
	}
	ls := lines(t, &b)
	if len(ls) != 3 {
		t.Fatalf("%d lines, want one per series (3)", len(ls))
	}
	got := map[string][]any{}
	for _, l := range ls {
		key := l["Function"].(string) + "/" + l["CRM"].(string)
		for _, n := range []string{SearchLatency, CRMErrors} {
			if v, ok := l[n].([]any); ok {
				got[n+"/"+key] = v
			}
		}
	}
	if v := got["SearchLatency/search/salesforce"]; len(v) != 2 || v[0] != 41.5 || v[1] != 43.0 {
		t.Fatalf("salesforce latencies %v", v)
	}
	if v := got["CRMErrors/search/salesforce"]; len(v) != 1 {
		t.Fatalf("errors %v", got)
	}
	var e emf
	b.Reset()
	s.Add(CRMErrors, Count, 1, DimCode, "UNAVAILABLE", DimCRM, "salesforce")
	_ = s.Flush(&b)
	_ = json.Unmarshal(b.Bytes(), &e)
	dims := e.AWS.CloudWatchMetrics[0].Dimensions
	if len(dims) != 2 || len(dims[0]) != 3 || dims[0][0] != DimFunction || len(dims[1]) != 1 {
		t.Fatalf("dimension sets %v, want [Function CRM Code] and [Function]", dims)
	}
	b.Reset()
	if err := s.Flush(&b); err != nil || b.Len() != 0 {
		t.Fatalf("a flushed set flushed again: %q", b.String())
	}
}

func TestManyValuesSplitLines(t *testing.T) {
	s := NewSet("timeline")
	for i := range 250 {
		s.Add(JobAge, Milliseconds, float64(i), DimAction, "timeline")
	}
	var b bytes.Buffer
	_ = s.Flush(&b)
	ls := lines(t, &b)
	n := 0
	for _, l := range ls {
		n += len(l[JobAge].([]any))
		if len(l[JobAge].([]any)) > maxValues {
			t.Fatalf("a line holds %d values, EMF takes %d", len(l[JobAge].([]any)), maxValues)
		}
	}
	if len(ls) != 3 || n != 250 {
		t.Fatalf("%d lines with %d values", len(ls), n)
	}
}

func TestBeginWithoutConfigureRecordsNothing(t *testing.T) {
	Configure("", nil)
	ctx, flush := Begin(context.Background())
	Add(ctx, CRMCalls, Count, 1)
	flush()
	if From(ctx) != nil {
		t.Fatal("a set without an output")
	}
	var b bytes.Buffer
	Configure("card", &b)
	defer Configure("", nil)
	ctx, flush = Begin(context.Background())
	AddCRM(WithCRM(ctx, "zendesk"), TokenFetches, Count, 1)
	flush()
	ls := lines(t, &b)
	if len(ls) != 1 || ls[0]["CRM"] != "zendesk" || ls[0]["Function"] != "card" {
		t.Fatalf("lines %v", ls)
	}
}
