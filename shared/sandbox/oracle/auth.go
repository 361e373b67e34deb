package oracle

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// maxAppContext is the longest OSvC-CREST-Application-Context v1.4 takes.
const maxAppContext = 40

// authorized checks the staff account's basic credentials.
func (s *Server) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	return ok && same(user, s.opts.Username) && same(pass, s.opts.Password)
}

// appContextProblem reports a missing or too long
// OSvC-CREST-Application-Context header, which v1.4 requires (400).
func appContextProblem(r *http.Request, version string) (problem, bool) {
	if version == "v1.3" {
		return problem{}, false
	}
	v := r.Header.Get("OSvC-CREST-Application-Context")
	switch {
	case strings.TrimSpace(v) == "":
		return problem{status: http.StatusBadRequest, title: "Bad Request",
			detail: "The OSvC-CREST-Application-Context header is required"}, true
	case len(v) > maxAppContext:
		return problem{status: http.StatusBadRequest, title: "Bad Request",
			detail: "The OSvC-CREST-Application-Context header is longer than 40 characters"}, true
	}
	return problem{}, false
}

func same(a, b string) bool {
	return b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
