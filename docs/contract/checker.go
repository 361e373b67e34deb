package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// Checker validates every request and answer it sees against the document
// and reports each mismatch with t.Errorf (safe from any goroutine). It
// holds the API to two rules:
//
//   - every answer fits the document: a documented status of the matched
//     operation, its headers and its body schema;
//   - a request the document calls invalid is refused (4xx or 5xx): the
//     document is never stricter than the API. The reverse is the API's
//     business logic (an unknown configuration id is a valid request the API
//     answers 404).
//
// A request no operation matches is fine only when the gateway answers it
// 404 itself; GET /healthz (local run only) is not checked.
type Checker struct {
	t  testing.TB
	mu sync.Mutex
	// seen: operation key → statuses answered.
	seen map[string]map[int]bool
}

// New returns a checker that reports to t.
func New(t testing.TB) *Checker {
	return &Checker{t: t, seen: map[string]map[int]bool{}}
}

// Middleware wraps h so that every request and answer through it is checked
// against the document (see Checker).
func Middleware(t testing.TB, h http.Handler) http.Handler { return New(t).Handler(h) }

// Handler wraps h with the checker.
func (c *Checker) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqBody, err := readAll(&r.Body)
		if err != nil {
			c.t.Errorf("contract: read request body: %v", err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		c.Check(r, reqBody, res.StatusCode, res.Header, body)
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(body)
	})
}

// Transport wraps a client's round tripper (nil: http.DefaultTransport).
func (c *Checker) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		reqBody, err := readAll(&r.Body)
		if err != nil {
			return nil, err
		}
		res, err := next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		body, err := readAll(&res.Body)
		if err != nil {
			return nil, err
		}
		c.Check(r, reqBody, res.StatusCode, res.Header, body)
		return res, nil
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// readAll reads a body and puts an unread copy back.
func readAll(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(*body)
	_ = (*body).Close()
	*body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

// Check validates one exchange; reqBody is the request's body (req.Body is
// not read). It reports mismatches to the checker's t and returns them.
func (c *Checker) Check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	err := c.check(req, reqBody, status, header, body)
	if err != nil {
		c.t.Errorf("contract: %s %s → %d: %v\nrequest: %s\nanswer: %s", req.Method, req.URL.RequestURI(), status, err,
			clip(reqBody), clip(body))
	}
	return err
}

func (c *Checker) check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	if req.URL.Path == "/healthz" {
		return nil
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	in, reqErr := validateRequest(r)
	if errors.Is(reqErr, ErrNoRoute) {
		var gw struct{ Message string }
		if status == http.StatusNotFound && json.Unmarshal(body, &gw) == nil && gw.Message != "" {
			return nil // the gateway's own 404: nothing behind it to document
		}
		return fmt.Errorf("answered by a route the document does not have: %w", reqErr)
	}
	if in == nil {
		return reqErr
	}
	c.record(in.Route.Method+" "+in.Route.Path, status)
	var errs []error
	if reqErr != nil && status < 400 {
		errs = append(errs, fmt.Errorf("the document refuses this request, the API accepted it: %w", reqErr))
	}
	if err := validateResponse(in, status, header, body); err != nil {
		errs = append(errs, fmt.Errorf("answer: %w", err))
	}
	return errors.Join(errs...)
}

func (c *Checker) record(key string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[key] == nil {
		c.seen[key] = map[int]bool{}
	}
	c.seen[key][status] = true
}

// Seen returns each documented operation the checker saw ("GET
// /v1/jobs/{jobId}") with the statuses it answered, sorted.
func (c *Checker) Seen() map[string][]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string][]int, len(c.seen))
	for k, st := range c.seen {
		for s := range st {
			out[k] = append(out[k], s)
		}
		slices.Sort(out[k])
	}
	return out
}

func clip(b []byte) string {
	const n = 2000
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
