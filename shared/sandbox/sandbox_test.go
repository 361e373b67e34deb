package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestFaultsAndCounts(t *testing.T) {
	var c Controls
	writes := 0
	h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writes++
		w.WriteHeader(201)
	}))
	c.Inject(Fault{Match: "/a", Times: 2, Status: 503, Body: `{"x":1}`})
	c.Inject(Fault{Match: "/b", Times: 1, Status: 500, AfterWrite: true})
	codes := []int{}
	for _, p := range []string{"/a", "/a", "/a", "/b", "/b"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", p, nil))
		codes = append(codes, rec.Code)
	}
	want := []int{503, 503, 201, 500, 201}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("codes %v want %v", codes, want)
		}
	}
	if writes != 3 { // /a once, /b twice (one lost answer)
		t.Fatalf("writes = %d", writes)
	}
	if c.Calls("POST /a") != 3 || c.TotalCalls() != 5 {
		t.Fatalf("calls /a=%d total=%d", c.Calls("POST /a"), c.TotalCalls())
	}
}
