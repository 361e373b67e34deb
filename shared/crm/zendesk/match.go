package zendesk

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// Zendesk's search matches words, not values: email:"a@b.com" also finds
// "x.a@b.com", and a phrase with punctuation stands for its words only. The
// driver therefore checks every result against the portable filter itself,
// so eq means equal (case-insensitively, as Zendesk compares text), and
// conditions the index cannot express are still applied.
func matches(o object, f crm.Filter) bool {
	switch {
	case f.All != nil:
		for _, c := range f.All {
			if !matches(o, c) {
				return false
			}
		}
		return true
	case f.Any != nil:
		for _, c := range f.Any {
			if matches(o, c) {
				return true
			}
		}
		return false
	}
	v, _ := o.lookup(f.Field)
	vals := values(v)
	switch f.Op {
	case crm.OpIn:
		list, _ := f.Value.([]any)
		for _, want := range list {
			if slices.ContainsFunc(vals, func(h string) bool { return equal(h, want) }) {
				return true
			}
		}
		return false
	case crm.OpNe:
		return !slices.ContainsFunc(vals, func(h string) bool { return equal(h, f.Value) })
	}
	for _, h := range vals {
		if conditionHolds(f.Field, h, f.Op, f.Value) {
			return true
		}
	}
	return false
}

// values are the texts of a field; a list (tags) holds several.
func values(v any) []string {
	switch x := v.(type) {
	case nil:
		return []string{""}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, text(e))
		}
		return out
	}
	return []string{text(v)}
}

func equal(have string, want any) bool {
	w := scalarText(want)
	if strings.EqualFold(have, w) {
		return true // also "NaN", which as a number equals nothing
	}
	if a, err1 := strconv.ParseFloat(have, 64); err1 == nil {
		if b, err2 := strconv.ParseFloat(w, 64); err2 == nil {
			return a == b
		}
	}
	return false
}

func conditionHolds(field, have string, op crm.Op, want any) bool {
	w := scalarText(want)
	switch op {
	case crm.OpEq:
		return equal(have, want)
	case crm.OpContains:
		return strings.Contains(strings.ToLower(have), strings.ToLower(w))
	case crm.OpStartsWith:
		return strings.HasPrefix(strings.ToLower(have), strings.ToLower(w))
	case crm.OpGt, crm.OpGte, crm.OpLt, crm.OpLte:
		if have == "" {
			return false
		}
		c, ok := compare(field, have, w)
		if !ok {
			return false
		}
		switch op {
		case crm.OpGt:
			return c > 0
		case crm.OpGte:
			return c >= 0
		case crm.OpLt:
			return c < 0
		}
		return c <= 0
	}
	return false
}

// Ordered values Zendesk compares by rank.
var (
	statusRank   = []string{"new", "open", "pending", "hold", "solved", "closed"}
	priorityRank = []string{"low", "normal", "high", "urgent"}
)

// compare orders status and priority by rank, times as times, numbers as
// numbers and anything else as text.
func compare(field, have, want string) (int, bool) {
	if field == "status" || field == "priority" {
		rank := statusRank
		if field == "priority" {
			rank = priorityRank
		}
		a, b := slices.Index(rank, strings.ToLower(have)), slices.Index(rank, strings.ToLower(want))
		return a - b, a >= 0 && b >= 0
	}
	if a, err1 := strconv.ParseFloat(have, 64); err1 == nil {
		if b, err2 := strconv.ParseFloat(want, 64); err2 == nil {
			switch {
			case a < b:
				return -1, true
			case a > b:
				return 1, true
			}
			return 0, true
		}
	}
	if a, err1 := time.Parse(time.RFC3339, have); err1 == nil {
		for _, layout := range []string{time.RFC3339, "2006-01-02"} {
			if b, err2 := time.Parse(layout, want); err2 == nil {
				return a.Compare(b), true
			}
		}
	}
	return strings.Compare(strings.ToLower(have), strings.ToLower(want)), true
}
