package dynamics

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Batch limits: Dataverse takes up to 1000 operations in one $batch. The
// body cap is the sandbox's own.
const (
	maxBatchOps   = 1000
	maxBatchBytes = 16 << 20
	// codeBatch is the code of a malformed multipart payload; Dataverse's
	// exact code for these ODataLib errors is not documented (guessed "0x0").
	codeBatch = "0x0"
)

// batchOp is one operation of a $batch, as its application/http part wrote it.
type batchOp struct {
	contentID string
	method    string
	target    string // the request-target: /api/data/v9.2/set, an absolute URL, set, or $1/…
	header    http.Header
	body      []byte
}

// batchEntry is a top-level item of a $batch: one operation, or a change set.
type batchEntry struct {
	op        *batchOp
	changeset []*batchOp
}

// opAnswer is an operation's recorded answer.
type opAnswer struct {
	contentID string
	status    int
	header    http.Header
	body      bytes.Buffer
}

func (a *opAnswer) Header() http.Header         { return a.header }
func (a *opAnswer) Write(b []byte) (int, error) { return a.body.Write(b) }
func (a *opAnswer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *opAnswer) failed() bool { return a.status < 200 || a.status > 299 }

func batchError(msg string) *apiError { return badRequest(codeBatch, msg) }

// handleBatch serves POST /api/data/{version}/$batch: a multipart/mixed body
// of application/http operations and change sets. Operations run in order;
// a change set is atomic (one failing operation rolls back the others) and
// may refer to what its earlier operations created as $<Content-ID>. The
// first failure ends the batch, whose status becomes the failure's, unless
// the client prefers odata.continue-on-error. The whole batch is one request
// for the sandbox's call counts and faults.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, version string) {
	if r.Method != http.MethodPost {
		writeError(w, methodNotAllowed(r.Method))
		return
	}
	entries, aerr := parseBatch(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	continueOnError := false
	for _, p := range strings.Split(r.Header.Get("Prefer"), ",") {
		switch strings.TrimSpace(p) {
		case "odata.continue-on-error", "continue-on-error":
			continueOnError = true
		}
	}
	s.tx.Lock()
	defer s.tx.Unlock()
	var out bytes.Buffer
	boundary := "batchresponse_" + randomGUID()
	status := http.StatusOK
	for _, e := range entries {
		var failure *opAnswer
		if e.op != nil {
			a := s.runOp(r, version, e.op, nil)
			writeAnswer(&out, boundary, a)
			if a.failed() {
				failure = a
			}
		} else if answers, failed := s.runChangeset(r, version, e.changeset); failed != nil {
			// A failed change set answers with the failing operation alone.
			writeAnswer(&out, boundary, failed)
			failure = failed
		} else {
			inner := "changesetresponse_" + randomGUID()
			fmt.Fprintf(&out, "--%s\r\nContent-Type: multipart/mixed; boundary=%s\r\n\r\n", boundary, inner)
			for _, a := range answers {
				writeAnswer(&out, inner, a)
			}
			fmt.Fprintf(&out, "--%s--\r\n", inner)
		}
		if failure != nil && !continueOnError {
			status = failure.status
			break
		}
	}
	fmt.Fprintf(&out, "--%s--\r\n", boundary)
	if continueOnError {
		w.Header().Set("Preference-Applied", "odata.continue-on-error")
	}
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+boundary)
	w.WriteHeader(status)
	_, _ = w.Write(out.Bytes())
}

// runChangeset runs a change set's operations with an undo journal; when one
// fails, the ones before it are taken back and its answer is returned alone.
func (s *Server) runChangeset(r *http.Request, version string, ops []*batchOp) (answers []*opAnswer, failed *opAnswer) {
	var undo []func()
	s.mu.Lock()
	s.undo = &undo
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.undo = nil
		s.mu.Unlock()
	}()
	refs := map[string]string{}
	for _, op := range ops {
		a := s.runOp(r, version, op, refs)
		if a.failed() {
			s.mu.Lock()
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
			s.mu.Unlock()
			return nil, a
		}
		if id := a.header.Get("OData-EntityId"); op.contentID != "" && id != "" {
			refs[op.contentID] = id
		}
		answers = append(answers, a)
	}
	return answers, nil
}

// runOp serves one operation as if it had come alone (the batch is already
// authorized), its $<Content-ID> references resolved through refs.
func (s *Server) runOp(r *http.Request, version string, op *batchOp, refs map[string]string) *opAnswer {
	a := &opAnswer{contentID: op.contentID, header: http.Header{}}
	a.header.Set("OData-Version", "4.0")
	req, rest, aerr := s.opRequest(r, version, op, refs)
	if aerr != nil {
		writeError(a, aerr)
		return a
	}
	s.serve(a, req, req.PathValue("version"), rest)
	if a.status == 0 {
		a.status = http.StatusOK
	}
	if id := a.header.Get("OData-EntityId"); id != "" && a.header.Get("Location") == "" {
		a.header.Set("Location", id)
	}
	return a
}

// opRequest builds the HTTP request an operation stands for.
func (s *Server) opRequest(r *http.Request, version string, op *batchOp, refs map[string]string) (*http.Request, string, *apiError) {
	target := op.target
	if ref, ok := contentRef(target); ok {
		id, found := refs[ref]
		if !found {
			return nil, "", unknownRef(ref)
		}
		target = id + strings.TrimPrefix(target, "$"+ref)
	}
	body := op.body
	if len(refs) > 0 && len(bytes.TrimSpace(body)) > 0 {
		var v any
		if json.Unmarshal(body, &v) == nil {
			var missing string
			v = resolveBindRefs(v, refs, &missing)
			if missing != "" {
				return nil, "", unknownRef(missing)
			}
			body, _ = json.Marshal(v)
		}
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, "", batchError("The request URI '" + op.target + "' is not valid.")
	}
	path := u.Path
	if !strings.HasPrefix(path, "/") {
		path = "/api/data/" + version + "/" + path
	}
	rest, ok := strings.CutPrefix(path, "/api/data/")
	v, rest, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || !versionRe.MatchString(v) {
		return nil, "", segmentNotFound(strings.TrimPrefix(path, "/"))
	}
	req, err := http.NewRequestWithContext(r.Context(), op.method, "http://"+r.Host+path, bytes.NewReader(body))
	if err != nil {
		return nil, "", batchError("The request line for '" + op.target + "' is not valid.")
	}
	req.URL.RawQuery = u.RawQuery
	req.Host, req.TLS = r.Host, r.TLS
	req.Header = op.header.Clone()
	req.SetPathValue("version", v)
	req.SetPathValue("rest", rest)
	return req, rest, nil
}

// contentRefRe is a reference to an earlier operation of the change set: $1,
// $1/lastname.
var contentRefRe = regexp.MustCompile(`^\$([A-Za-z0-9_.-]+)(?:[/?]|$)`)

func contentRef(target string) (string, bool) {
	m := contentRefRe.FindStringSubmatch(target)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func unknownRef(ref string) *apiError {
	return batchError("Content-ID Reference: '$" + ref + "' does not exist in the batch context.")
}

// resolveBindRefs replaces "$n" values of @odata.bind and @odata.id keys,
// at any depth (activity parties), with the address operation n created.
func resolveBindRefs(v any, refs map[string]string, missing *string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && (strings.HasSuffix(k, "@odata.bind") || k == "@odata.id") {
				if ref, ok := contentRef(s); ok && s == "$"+ref {
					if id, found := refs[ref]; found {
						x[k] = id
					} else if *missing == "" {
						*missing = ref
					}
				}
				continue
			}
			x[k] = resolveBindRefs(val, refs, missing)
		}
	case []any:
		for i := range x {
			x[i] = resolveBindRefs(x[i], refs, missing)
		}
	}
	return v
}

// bindRefs lists the "$n" references of a body's @odata.bind values.
func bindRefs(body []byte) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && (strings.HasSuffix(k, "@odata.bind") || k == "@odata.id") {
					if ref, ok := contentRef(s); ok && s == "$"+ref {
						out = append(out, ref)
					}
					continue
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// parseBatch reads the whole multipart payload before anything runs, so that
// a malformed batch changes nothing.
func parseBatch(r *http.Request) ([]batchEntry, *apiError) {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		return nil, batchError(fmt.Sprintf("The content type '%s' specifies a batch payload; however, the payload either "+
			"does not include a batch boundary or includes more than one boundary. In OData, batch payload content types "+
			"must specify exactly one batch boundary in the 'boundary' parameter of the content type.", ct))
	}
	parts, aerr := readParts(http.MaxBytesReader(nil, r.Body, maxBatchBytes), params["boundary"])
	if aerr != nil {
		return nil, aerr
	}
	var entries []batchEntry
	ops := 0
	seen := map[string]bool{}
	for _, p := range parts {
		mt, params, _ := mime.ParseMediaType(p.header.Get("Content-Type"))
		if mt == "multipart/mixed" {
			if params["boundary"] == "" {
				return nil, batchError("The change set does not specify a boundary.")
			}
			inner, aerr := readParts(bytes.NewReader(p.body), params["boundary"])
			if aerr != nil {
				return nil, aerr
			}
			var cs []*batchOp
			declared := map[string]bool{}
			for _, ip := range inner {
				if imt, _, _ := mime.ParseMediaType(ip.header.Get("Content-Type")); imt == "multipart/mixed" {
					return nil, batchError("Nested change sets in a batch payload are not supported.")
				}
				op, aerr := parseOp(ip)
				if aerr != nil {
					return nil, aerr
				}
				if op.method == http.MethodGet {
					return nil, batchError("An invalid HTTP method 'GET' was detected for a request in a change set. Requests " +
						"in change sets only support the HTTP methods 'POST', 'PUT', 'DELETE', and 'PATCH'.")
				}
				refsUsed := bindRefs(op.body)
				if ref, ok := contentRef(op.target); ok {
					refsUsed = append(refsUsed, ref)
				}
				for _, ref := range refsUsed {
					if !declared[ref] {
						return nil, unknownRef(ref)
					}
				}
				if op.contentID != "" {
					if seen[op.contentID] {
						return nil, batchError("The content ID '" + op.contentID + "' was found more than once in the same " +
							"change set or same batch request.")
					}
					seen[op.contentID], declared[op.contentID] = true, true
				}
				cs = append(cs, op)
			}
			ops += len(cs)
			entries = append(entries, batchEntry{changeset: cs})
		} else {
			op, aerr := parseOp(p)
			if aerr != nil {
				return nil, aerr
			}
			if ref, ok := contentRef(op.target); ok {
				return nil, unknownRef(ref)
			}
			if refs := bindRefs(op.body); len(refs) > 0 {
				return nil, unknownRef(refs[0])
			}
			ops++
			entries = append(entries, batchEntry{op: op})
		}
		if ops > maxBatchOps {
			return nil, batchError(fmt.Sprintf("The current batch message contains too many parts. Only batch messages with "+
				"a maximum number of '%d' query operations and change sets are allowed.", maxBatchOps))
		}
	}
	return entries, nil
}

// rawPart is one MIME part, read whole.
type rawPart struct {
	header textproto.MIMEHeader
	body   []byte
}

// readParts splits a multipart body; the closing delimiter is required.
func readParts(body io.Reader, boundary string) ([]rawPart, *apiError) {
	mr := multipart.NewReader(body, boundary)
	var parts []rawPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF { // exactly io.EOF: the closing delimiter was read
			return parts, nil
		}
		if err != nil {
			return nil, malformed(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, malformed(err)
		}
		parts = append(parts, rawPart{header: p.Header, body: b})
	}
}

func malformed(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: codeBatch, msg: "The batch request is too large."}
	}
	return batchError("The batch payload is malformed: " + err.Error() + ". Each part must start with the boundary " +
		"delimiter line and the batch must end with the closing delimiter.")
}

var batchMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}

// parseOp reads an application/http part: the request line, headers, a blank
// line and the body.
func parseOp(p rawPart) (*batchOp, *apiError) {
	ct := p.header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/http" {
		return nil, batchError(fmt.Sprintf("The 'Content-Type' header value '%s' is not valid. When this is the start of "+
			"the change set, the value must be 'multipart/mixed'; otherwise it must be 'application/http'.", ct))
	}
	if !strings.EqualFold(strings.TrimSpace(p.header.Get("Content-Transfer-Encoding")), "binary") {
		return nil, batchError("The 'Content-Transfer-Encoding' header is missing or invalid. The 'Content-Transfer-Encoding' " +
			"header is required and its value must be 'binary'.")
	}
	br := bufio.NewReader(bytes.NewReader(p.body))
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	fields := strings.Split(line, " ")
	if err != nil || len(fields) != 3 || fields[1] == "" || !slices.Contains(batchMethods, fields[0]) {
		return nil, batchError("The request line '" + line + "' is invalid. The request line at the start of each " +
			"operation must have the format 'METHOD URL HTTP_VERSION'.")
	}
	if fields[2] != "HTTP/1.1" {
		return nil, batchError("The HTTP version '" + fields[2] + "' used in a batch operation request or response is " +
			"not valid. The value must be 'HTTP/1.1'.")
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, batchError("The headers of the operation '" + line + "' are malformed.")
	}
	body, _ := io.ReadAll(br)
	return &batchOp{contentID: strings.TrimSpace(p.header.Get("Content-ID")), method: fields[0], target: fields[1],
		header: http.Header(h), body: body}, nil
}

// writeAnswer adds an operation's answer as an application/http part.
func writeAnswer(out *bytes.Buffer, boundary string, a *opAnswer) {
	fmt.Fprintf(out, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n", boundary)
	if a.contentID != "" {
		fmt.Fprintf(out, "Content-ID: %s\r\n", a.contentID)
	}
	fmt.Fprintf(out, "\r\nHTTP/1.1 %d %s\r\n", a.status, http.StatusText(a.status))
	_ = a.header.Write(out)
	out.WriteString("\r\n")
	out.Write(a.body.Bytes())
	out.WriteString("\r\n")
}

// randomGUID names response boundaries; it leaves the seeded row ids alone.
func randomGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatGUID(b)
}
