package crmhttp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestDoSendsJSONAndReturnsAnyStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.RawQuery != "a=1" || r.Header.Get("Accept") != "application/json" ||
			r.Header.Get("Content-Type") != "application/json; charset=utf-8" || r.Header.Get("Authorization") != "Bearer t" ||
			string(b) != `{"x":"<b>"}` {
			t.Errorf("%s %q %v %s", r.Method, r.URL.RawQuery, r.Header, b)
		}
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"error":"taken"}`))
	}))
	defer srv.Close()
	body, err := MarshalUnescaped(map[string]string{"x": "<b>"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Do(context.Background(), srv.Client(), time.Second, Request{Op: "test", Method: http.MethodPost,
		URL: srv.URL + "/p", Query: "a=1", Body: body, Header: func(h http.Header) {
			Authorization("Bearer t")(h)
			h.Set("Content-Type", "application/json; charset=utf-8")
		}})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || r.Status != http.StatusConflict || r.Header.Get("X-Test") != "yes" || string(r.Body) != `{"error":"taken"}` {
		t.Fatalf("%+v", r)
	}
	var out struct{ Error string }
	if err := Decode("test", "Test CRM", r, &out); err != nil || out.Error != "taken" {
		t.Fatalf("%v %+v", err, out)
	}
	if err := Decode("test", "Test CRM", &Reply{Status: 200, Body: []byte("<html>")}, &out); crm.CodeOf(err) != crm.Internal ||
		err.(*crm.Error).Message != "unreadable answer from Test CRM" {
		t.Fatalf("%v", err)
	}
}

func TestDoWithoutBodySendsNoContentType(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "" || r.URL.RawQuery != "" || r.ContentLength != 0 {
			t.Errorf("%v %q %d", r.Header, r.URL.RawQuery, r.ContentLength)
		}
	}))
	defer srv.Close()
	body, err := Payload("test", nil)
	if err != nil || body != nil {
		t.Fatalf("%q %v", body, err)
	}
	r, err := Do(context.Background(), srv.Client(), 0, Request{Op: "test", Method: http.MethodGet, URL: srv.URL, Body: body})
	if err != nil || !r.OK() {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestDoTimeoutIsPerCall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	_, err := Do(context.Background(), srv.Client(), 20*time.Millisecond, Request{Op: "test", Method: http.MethodGet, URL: srv.URL})
	if e, ok := crm.AsError(err); !ok || e.Code != crm.DeadlineExceeded || !e.Retryable || e.Op != "test" {
		t.Fatalf("%v", err)
	}
}

func TestPayloadRefusesWhatJSONCannotHold(t *testing.T) {
	_, err := Payload("test", map[string]any{"x": make(chan int)})
	if crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("%v", err)
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://ACME.example.com":     "https://acme.example.com",
		"http://localhost:8080/":       "http://localhost:8080",
		"ftp://acme.example.com":       "",
		"https://acme.example.com/x":   "",
		"https://u:p@acme.example.com": "",
		"https://acme.example.com?x=1": "",
		"https://acme.example.com#x":   "",
		"":                             "",
	} {
		got, ok := Origin(in)
		if got != want || ok != (want != "") {
			t.Errorf("Origin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestVisibleASCII(t *testing.T) {
	for tok, want := range map[string]bool{"pat-na1-x": true, "": false, "a b": false, "a\r\nX: 1": false, "é": false, "12345678901": false} {
		if VisibleASCII(tok, 10) != want {
			t.Errorf("VisibleASCII(%q, 10) != %v", tok, want)
		}
	}
}

func TestDecodeExactKeepsNumbers(t *testing.T) {
	var out map[string]any
	if err := ExactDecoder("Test CRM")("test", &Reply{Status: 200, Body: []byte(`{"id":9007199254740993}`)}, &out); err != nil {
		t.Fatal(err)
	}
	if n, ok := out["id"].(json.Number); !ok || n.String() != "9007199254740993" {
		t.Fatalf("%#v", out["id"])
	}
	err := DecodeExact("test", "Test CRM", &Reply{Status: 200, Body: []byte("<html>")}, &out)
	if e, ok := crm.AsError(err); !ok || e.Code != crm.Internal || e.Message != "unreadable answer from Test CRM" {
		t.Fatalf("%v", err)
	}
}
