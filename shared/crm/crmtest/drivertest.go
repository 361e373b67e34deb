package crmtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

// Runners the drivers' own tests share: each driver keeps its tables (what
// its CRM answers, which configurations it refuses), the checks live here.

// Connect applies edits to cfg and builds a connector with newConnector,
// failing the test if the driver refuses the configuration.
func Connect[C any](t testing.TB, newConnector func(crm.Config, *http.Client) (C, error), cfg crm.Config, hc *http.Client, edits ...func(*crm.Config)) C {
	t.Helper()
	for _, e := range edits {
		e(&cfg)
	}
	c, err := newConnector(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// BearerConfig is a bearer-token configuration for base.
func BearerConfig(base, token string) crm.Config {
	return crm.Config{BaseURL: base, Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: token}}
}

// BasicConfig is a basic-auth configuration for base.
func BasicConfig(base, user, password string) crm.Config {
	return crm.Config{BaseURL: base, Auth: crm.Auth{Type: crm.AuthBasic, Username: user}, Credentials: crm.Credentials{Password: password}}
}

// WithTimeout sets a configuration's per-request timeout.
func WithTimeout(d time.Duration) func(*crm.Config) {
	return func(cfg *crm.Config) { cfg.Timeout = d }
}

// FailOnInvalidQueries fails the test, when it ends, if the sandbox (named
// where, as in "the site") saw queries it refused.
func FailOnInvalidQueries(t testing.TB, where string, invalid func() []string) {
	t.Cleanup(func() {
		if bad := invalid(); len(bad) > 0 {
			t.Errorf("the driver sent queries %s refused: %q", where, bad)
		}
	})
}

// ---- Host rules and configuration validation ----

// WantHosts fails for each host whose allowed answer is not the want.
func WantHosts(t testing.TB, allowed func(string) bool, want map[string]bool) {
	t.Helper()
	for host, w := range want {
		if got := allowed(host); got != w {
			t.Errorf("host %q allowed = %v, want %v", host, got, w)
		}
	}
}

// WantConfig fails unless err is nil when ok, or an InvalidArgument error
// when not.
func WantConfig(t testing.TB, name string, err error, ok bool) {
	t.Helper()
	switch {
	case ok && err != nil:
		t.Errorf("%s: err = %v, want the configuration accepted", name, err)
	case !ok && crm.CodeOf(err) != crm.InvalidArgument:
		t.Errorf("%s: err = %v, want InvalidArgument", name, err)
	}
}

// WantConfigs builds a connector with newConnector from each configuration
// and fails unless each is accepted (ok) or refused with InvalidArgument.
func WantConfigs[C any](t testing.TB, newConnector func(crm.Config, *http.Client) (C, error), ok bool, cfgs map[string]crm.Config) {
	t.Helper()
	for name, cfg := range cfgs {
		_, err := newConnector(cfg, nil)
		WantConfig(t, name, err, ok)
	}
}

// RejectsEdits builds a connector with newConnector from good changed by
// each edit and fails unless every one is refused with InvalidArgument;
// also, if given, checks each refusal further.
func RejectsEdits[C any](t testing.TB, newConnector func(crm.Config, *http.Client) (C, error), good crm.Config,
	edits map[string]func(*crm.Config), also ...func(name string, err error)) {
	t.Helper()
	for name, edit := range edits {
		cfg := good
		edit(&cfg)
		_, err := newConnector(cfg, nil)
		WantConfig(t, name, err, false)
		for _, a := range also {
			a(name, err)
		}
	}
}

// ---- Error mapping ----

// ErrorCase is one answer from a CRM and the portable error the driver must
// map it to.
type ErrorCase struct {
	Name      string
	Status    int
	Header    http.Header
	Body      string
	Code      crm.Code
	CRMCode   string
	Retryable bool
	Wait      time.Duration // the error's RetryAfter
	// Message, when set, is the error's whole message; MessageHas, when
	// set, is part of it.
	Message    string
	MessageHas string
}

// RunErrorCases runs each case as a subtest: mapErr turns the answer into
// the driver's error, which must carry the case's code, CRM code,
// retryability, wait, HTTP status and message. check, if given, adds the
// driver's own checks.
func RunErrorCases(t *testing.T, cases []ErrorCase, mapErr func(status int, h http.Header, body []byte) *crm.Error,
	check ...func(t *testing.T, tc ErrorCase, e *crm.Error)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			e := mapErr(tc.Status, tc.Header, []byte(tc.Body))
			if e.Code != tc.Code || e.CRMCode != tc.CRMCode || e.Retryable != tc.Retryable || e.RetryAfter != tc.Wait || e.Status != tc.Status {
				t.Fatalf("got %+v", e)
			}
			if tc.Message != "" && e.Message != tc.Message {
				t.Fatalf("message %q, want %q", e.Message, tc.Message)
			}
			if tc.MessageHas != "" && !strings.Contains(e.Message, tc.MessageHas) {
				t.Fatalf("message %q lacks %q", e.Message, tc.MessageHas)
			}
			for _, c := range check {
				c(t, tc, e)
			}
		})
	}
}

// WantTruncated fails unless e's message was cut to limit runes, the
// ellipsis that ends it included.
func WantTruncated(t testing.TB, e *crm.Error, limit int) {
	t.Helper()
	if n := len([]rune(e.Message)); n != limit || !strings.HasSuffix(e.Message, "…") {
		t.Fatalf("message has %d runes (%q at the end), want %d ending in an ellipsis", n, e.Message[max(0, len(e.Message)-8):], limit)
	}
}

// WantRetryable fails unless err is a retryable *crm.Error with code, and
// returns it.
func WantRetryable(t testing.TB, err error, code crm.Code) *crm.Error {
	t.Helper()
	e := WantCode(t, err, code)
	if !e.Retryable {
		t.Fatalf("%+v: want retryable", e)
	}
	return e
}

// WantNoLeak fails if err's text holds any of secrets.
func WantNoLeak(t testing.TB, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if err != nil && strings.Contains(err.Error(), s) {
			t.Fatalf("error leaks %q: %v", s, err)
		}
	}
}

// SentOnce serves every request an answer of status and body, and fails
// unless call, made against that handler, fails with code after exactly one
// request: a final error is not retried.
func SentOnce(t *testing.T, status int, body string, code crm.Code, call func(h http.Handler) error) {
	t.Helper()
	calls := 0
	err := call(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	WantCode(t, err, code)
	if calls != 1 {
		t.Fatalf("%d requests", calls)
	}
}

// ---- Fuzzing compiled filters ----

// FuzzOps are the portable operators fuzz targets pick from by index. The
// order is part of the seed corpora: do not change it.
var FuzzOps = []crm.Op{crm.OpEq, crm.OpNe, crm.OpContains, crm.OpStartsWith, crm.OpGt, crm.OpGte, crm.OpLt, crm.OpLte, crm.OpIn}

// FuzzOp picks an operator of FuzzOps by index.
func FuzzOp(i uint8) crm.Op { return FuzzOps[int(i)%len(FuzzOps)] }

// FuzzCondition is the one condition the field/operator/value fuzz targets
// compile: the value is s, or n when useNumber and the operator compares
// numbers; an in list holds that value and s with a quote added.
func FuzzCondition(field string, opIndex uint8, s string, n float64, useNumber bool) crm.Filter {
	op := FuzzOp(opIndex)
	var value any = s
	if useNumber && op != crm.OpContains && op != crm.OpStartsWith {
		value = n
	}
	if op == crm.OpIn {
		value = []any{value, s + "'"}
	}
	return crm.Filter{Field: field, Op: op, Value: value}
}

// FuzzValue is the operator and value the value-only fuzz targets compile:
// an in list holds the value and "other".
func FuzzValue(opIndex uint8, value string) (crm.Op, any) {
	op := FuzzOp(opIndex)
	if op == crm.OpIn {
		return op, []any{value, "other"}
	}
	return op, value
}

// SeedShapes adds each value with each operator index and a shape index
// (see Nest) to f's corpus.
func SeedShapes(f *testing.F, values ...string) {
	for _, s := range values {
		for op := range FuzzOps {
			f.Add(s, uint8(op), uint8(op%3))
		}
	}
}

// Nest places target in one of three filters by shape: alone, in an all
// with other, or in an any of key and an all of other and target. It
// returns the filter and how many conditions it holds.
func Nest(target crm.Filter, shape uint8, other, key crm.Filter) (crm.Filter, int) {
	switch shape % 3 {
	case 1:
		return crm.Filter{All: []crm.Filter{target, other}}, 2
	case 2:
		return crm.Filter{Any: []crm.Filter{key, {All: []crm.Filter{other, target}}}}, 3
	}
	return target, 1
}

// Refused reports whether the driver refused to compile; a refusal must be
// InvalidArgument.
func Refused(t testing.TB, err error) bool {
	t.Helper()
	if err != nil && crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("refusal with code %s: %v", crm.CodeOf(err), err)
	}
	return err != nil
}

// ---- Benchmarks ----

// USPhoneForms are the forms a US number is searched in, Jane's number
// among the sandboxes' demo data.
var USPhoneForms = []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100"}

// PhoneSearcher is what BenchSearchByPhone needs of a connector.
type PhoneSearcher interface {
	SearchByPhone(context.Context, crm.PhoneSearch) ([]crm.Record, error)
}

// BenchSearchByPhone runs s against c in the benchmark loop, after one
// warm-up search (a token, a page size, an account's details). If want is
// not negative, every search must find that many records.
func BenchSearchByPhone(b *testing.B, c PhoneSearcher, s crm.PhoneSearch, want int) {
	b.Helper()
	if _, err := c.SearchByPhone(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		recs, err := c.SearchByPhone(context.Background(), s)
		if err != nil || (want >= 0 && len(recs) != want) {
			b.Fatalf("%v %d", err, len(recs))
		}
	}
}

// BenchCompile runs compile in the benchmark loop.
func BenchCompile[T any](b *testing.B, compile func(crm.Filter) (T, error), f crm.Filter) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compile(f); err != nil {
			b.Fatal(err)
		}
	}
}

// JaneVariants are the forms the driver searches Jane's ANI in.
func JaneVariants(t testing.TB) []string {
	t.Helper()
	v, err := phone.Variants(JaneANI)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
