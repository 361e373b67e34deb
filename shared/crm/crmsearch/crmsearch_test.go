package crmsearch

import (
	"errors"
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestLimit(t *testing.T) {
	for _, c := range []struct{ n, want int }{{-1, 10}, {0, 10}, {1, 1}, {200, 200}, {201, 200}} {
		if got := Limit(c.n, 10, 200); got != c.want {
			t.Errorf("Limit(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

func TestCollect(t *testing.T) {
	found := map[string][]string{"a": {"1", "2", ""}, "b": {"2", "3", "4"}, "c": {"5"}}
	var asked []int
	search := func(p string, want int) ([]crm.Record, error) {
		asked = append(asked, want)
		var out []crm.Record
		for _, id := range found[p] {
			out = append(out, crm.Record{Entity: p, ID: id})
		}
		return out, nil
	}
	ids := func(recs []crm.Record) []string {
		var out []string
		for _, r := range recs {
			out = append(out, r.ID)
		}
		return out
	}
	got, err := Collect([]string{"a", "b", "c"}, 4, func(r crm.Record) string { return r.ID }, search)
	if err != nil || !slices.Equal(ids(got), []string{"1", "2", "3", "4"}) || !slices.Equal(asked, []int{4, 2}) {
		t.Fatalf("merged: %v %v, asked %v", ids(got), err, asked)
	}
	asked = nil
	got, _ = Collect([]string{"a", "b"}, 10, nil, search)
	if !slices.Equal(ids(got), []string{"1", "2", "", "2", "3", "4"}) || !slices.Equal(asked, []int{10, 7}) {
		t.Fatalf("unmerged: %v, asked %v", ids(got), asked)
	}
	boom := errors.New("boom")
	if _, err := Collect([]string{"a"}, 1, nil, func(string, int) ([]crm.Record, error) { return nil, boom }); err != boom {
		t.Fatalf("error: %v", err)
	}
}
