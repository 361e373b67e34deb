package oracle

import (
	"encoding/json"
	"net/http"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// Connect REST error codes the sandbox answers with (c_osvc_error_codes.html).
const (
	CodeWriteFailed     = "OSC-CREST-00006" // an attempt to write a resource failed
	CodeInvalidQuery    = "OSC-CREST-00007" // invalid query parameter
	CodeMalformedJSON   = "OSC-CREST-00011" // malformed JSON
	CodeNotFound        = "OSC-CREST-00013" // resource not recognized or not found
	CodeMethod          = "OSC-CREST-00002" // unsupported method
	CodeVersion         = "OSC-CREST-00003" // unsupported version
	CodeThrottled       = "OSC-CREST-00035" // too many requests: throttled
	nextRequestAfterKey = "Osvc-Crest-Next-Request-After"
)

// problem is Connect REST's RFC 7807-like error body.
type problem struct {
	status int
	code   string // o:errorCode; "" leaves it (and the exceptions type) out
	title  string
	detail string
}

func (p problem) body(site, instance string) map[string]any {
	b := map[string]any{"title": p.title, "status": p.status, "instance": instance}
	if p.code != "" {
		b["type"] = site + "/services/rest/connect/exceptions/" + p.code
		b["o:errorCode"] = p.code
	}
	if p.detail != "" {
		b["detail"] = p.detail
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	writeJSONAs(w, status, v)
}

// writeJSONAs writes v with the Content-Type already set.
func writeJSONAs(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, p problem) {
	site := siteOrigin(r)
	if p.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Oracle B2C Service"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.status)
	_ = json.NewEncoder(w).Encode(p.body(site, site+r.URL.Path))
}

func siteOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func notFound(detail string) problem {
	return problem{status: http.StatusNotFound, code: CodeNotFound, title: "The requested resource was not found", detail: detail}
}

func writeFailed(detail string) problem {
	return problem{status: http.StatusBadRequest, code: CodeWriteFailed, title: "An attempt to write a resource failed", detail: detail}
}

func invalidQuery(detail string) problem {
	return problem{status: http.StatusBadRequest, code: CodeInvalidQuery, title: "Invalid query parameter", detail: detail}
}

// ThrottleFault is the site's answer when a client is throttled: 503 with
// OSC-CREST-00035 (not 429) and osvc-crest-next-request-after in
// milliseconds.
func ThrottleFault(after int) sandbox.Fault {
	b, _ := json.Marshal(problem{status: http.StatusServiceUnavailable, code: CodeThrottled, title: "Too many requests",
		detail: "The request was throttled; wait before sending the next request"}.body("https://sandbox.custhelp.com", ""))
	return sandbox.Fault{Match: apiPrefix, Status: http.StatusServiceUnavailable,
		Header: http.Header{nextRequestAfterKey: {itoa(after)}, "Content-Type": {"application/problem+json"}}, Body: string(b)}
}

// ServerErrorFault is an unexpected failure of the site.
func ServerErrorFault() sandbox.Fault {
	b, _ := json.Marshal(map[string]any{"title": "Internal Server Error", "status": 500,
		"detail": "An unexpected error occurred while processing the request"})
	return sandbox.Fault{Match: apiPrefix, Status: http.StatusInternalServerError,
		Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: string(b)}
}
