package dynamics

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// batch posts a raw $batch body with the given Content-Type.
func (e *env) batch(contentType, body string, header ...string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/api/data/v9.2/$batch", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tok)
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// answerPart is one application/http part of a batch answer.
type answerPart struct {
	contentID string
	status    int
	header    http.Header
	body      string
}

// readAnswer splits a batch answer into its operations' answers, flattening change sets.
func readAnswer(t *testing.T, res *http.Response) []answerPart {
	t.Helper()
	defer res.Body.Close()
	mt, params, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" || !strings.HasPrefix(params["boundary"], "batchresponse_") {
		t.Fatalf("answer Content-Type %q", res.Header.Get("Content-Type"))
	}
	b, _ := io.ReadAll(res.Body)
	return splitAnswer(t, b, params["boundary"])
}

func splitAnswer(t *testing.T, b []byte, boundary string) []answerPart {
	t.Helper()
	var out []answerPart
	mr := multipart.NewReader(bytes.NewReader(b), boundary)
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("answer: %v\n%s", err, b)
		}
		data, _ := io.ReadAll(p)
		mt, params, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if mt == "multipart/mixed" {
			if !strings.HasPrefix(params["boundary"], "changesetresponse_") {
				t.Fatalf("change set boundary %q", params["boundary"])
			}
			out = append(out, splitAnswer(t, data, params["boundary"])...)
			continue
		}
		if mt != "application/http" || p.Header.Get("Content-Transfer-Encoding") != "binary" {
			t.Fatalf("part headers %v", p.Header)
		}
		res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), nil)
		if err != nil {
			t.Fatalf("part: %v\n%s", err, data)
		}
		body, _ := io.ReadAll(res.Body)
		out = append(out, answerPart{contentID: p.Header.Get("Content-ID"), status: res.StatusCode, header: res.Header,
			body: strings.TrimSpace(string(body))})
	}
}

// changesetBody is a batch of one change set; each op is "METHOD target" and a JSON body.
func changesetBody(ops ...[2]string) string {
	var b strings.Builder
	b.WriteString("--batch_AAA123\r\nContent-Type: multipart/mixed; boundary=changeset_BBB456\r\n\r\n")
	for i, op := range ops {
		fmt.Fprintf(&b, "--changeset_BBB456\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"+
			"Content-ID: %d\r\n\r\n%s HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n%s\r\n", i+1, op[0], op[1])
	}
	b.WriteString("--changeset_BBB456--\r\n--batch_AAA123--\r\n")
	return b.String()
}

const batchCT = "multipart/mixed; boundary=batch_AAA123"

func phonecallJSON(id, jane string) string {
	b, _ := json.Marshal(map[string]any{"activityid": id, "subject": "Inbound call", "directioncode": false,
		"regardingobjectid_contact_phonecall@odata.bind": "/contacts(" + jane + ")",
		"phonecall_activity_parties":                     []any{map[string]any{"partyid_contact@odata.bind": "/contacts(" + jane + ")", "participationtypemask": 1}}})
	return string(b)
}

func TestBatchChangesetCreatesAndCompletes(t *testing.T) {
	e := start(t, Options{})
	jane := e.s.Records("contact")[0]["contactid"].(string)
	id := "0a01ae5a-cfa0-50fb-8a25-f86c80620e07"
	e.s.ResetCalls()
	res := e.batch(batchCT, changesetBody(
		[2]string{"POST /api/data/v9.2/phonecalls", phonecallJSON(id, jane)},
		[2]string{"PATCH $1", `{"statecode":1,"statuscode":4}`}))
	if res.StatusCode != 200 || res.Header.Get("OData-Version") != "4.0" {
		t.Fatalf("status %d", res.StatusCode)
	}
	parts := readAnswer(t, res)
	entity := e.srv.URL + "/api/data/v9.2/phonecalls(" + id + ")"
	if len(parts) != 2 || parts[0].status != 204 || parts[0].contentID != "1" || parts[0].header.Get("OData-EntityId") != entity ||
		parts[0].header.Get("Location") != entity || parts[1].status != 204 || parts[1].contentID != "2" {
		t.Fatalf("parts %+v", parts)
	}
	row := e.s.Record("phonecall", id)
	if row["statecode"] != 1.0 || row["statuscode"] != 4.0 || len(e.s.Parties(id)) != 1 {
		t.Fatalf("row %v parties %v", row, e.s.Parties(id))
	}
	if e.s.TotalCalls() != 1 || e.s.Calls("POST /api/data/v9.2/$batch") != 1 {
		t.Fatalf("calls %d", e.s.TotalCalls())
	}
}

func TestBatchChangesetRollsBack(t *testing.T) {
	e := start(t, Options{})
	jane := e.s.Records("contact")[0]["contactid"].(string)
	before := e.s.Record("contact", jane)
	id := "0a01ae5a-cfa0-50fb-8a25-f86c80620e07"
	// The create and an edit of Jane succeed, then the completion is refused.
	res := e.batch(batchCT, changesetBody(
		[2]string{"POST /api/data/v9.2/phonecalls", phonecallJSON(id, jane)},
		[2]string{"PATCH /api/data/v9.2/contacts(" + jane + ")", `{"jobtitle":"edited in the batch"}`},
		[2]string{"PATCH $1", `{"statecode":1,"statuscode":1}`}))
	if res.StatusCode != 400 {
		t.Fatalf("status %d", res.StatusCode)
	}
	parts := readAnswer(t, res)
	if len(parts) != 1 || parts[0].status != 400 || parts[0].contentID != "3" ||
		!strings.HasPrefix(parts[0].header.Get("Content-Type"), "application/json") {
		t.Fatalf("parts %+v", parts)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(parts[0].body), &body); err != nil {
		t.Fatal(err)
	}
	if code, msg := errorOf(body); code != codeState || !strings.Contains(msg, "is not a valid status code") {
		t.Fatalf("%v", body)
	}
	if e.s.Record("phonecall", id) != nil || len(e.s.Parties(id)) != 0 || len(e.s.Records("phonecall")) != 1 {
		t.Fatal("the create was not rolled back")
	}
	if after := e.s.Record("contact", jane); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("the update was not rolled back:\n%v\n%v", before, after)
	}
	// Nothing is left behind: the same change set, fixed, goes through.
	res = e.batch(batchCT, changesetBody(
		[2]string{"POST /api/data/v9.2/phonecalls", phonecallJSON(id, jane)},
		[2]string{"PATCH $1", `{"statecode":1,"statuscode":4}`}))
	if res.StatusCode != 200 {
		t.Fatalf("retry: %d", res.StatusCode)
	}
	// A duplicate create fails the change set at its first operation.
	res = e.batch(batchCT, changesetBody(
		[2]string{"POST /api/data/v9.2/phonecalls", phonecallJSON(id, jane)},
		[2]string{"PATCH $1", `{"statecode":1,"statuscode":4}`}))
	if parts := readAnswer(t, res); res.StatusCode != 412 || len(parts) != 1 || parts[0].contentID != "1" ||
		!strings.Contains(parts[0].body, codeDuplicate) {
		t.Fatalf("duplicate: %d %+v", res.StatusCode, parts)
	}
}

func TestBatchLoneOperationsAndContinueOnError(t *testing.T) {
	e := start(t, Options{})
	body := "--batch_X\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
		"POST /api/data/v9.2/tasks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"subject\":\"" + strings.Repeat("x", 201) + "\"}\r\n" +
		"--batch_X\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
		"POST tasks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"subject\":\"Task 2\"}\r\n" +
		"--batch_X\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
		"GET " + e.srv.URL + "/api/data/v9.2/tasks?$select=subject HTTP/1.1\r\n\r\n\r\n" +
		"--batch_X--\r\n"
	// Without the preference the first failure ends the batch and is its status.
	res := e.batch("multipart/mixed; boundary=batch_X", body)
	if parts := readAnswer(t, res); res.StatusCode != 400 || len(parts) != 1 || !strings.Contains(parts[0].body, codeLength) {
		t.Fatalf("%d %+v", res.StatusCode, parts)
	}
	if n := len(e.s.Records("task")); n != 0 {
		t.Fatalf("%d tasks after a stopped batch", n)
	}
	res = e.batch("multipart/mixed; boundary=batch_X", body, "Prefer", "odata.continue-on-error")
	parts := readAnswer(t, res)
	if res.StatusCode != 200 || len(parts) != 3 || parts[0].status != 400 || parts[1].status != 204 || parts[2].status != 200 ||
		!strings.Contains(parts[2].body, `"Task 2"`) {
		t.Fatalf("%d %+v", res.StatusCode, parts)
	}
}

func TestBatchMalformed(t *testing.T) {
	e := start(t, Options{})
	jane := e.s.Records("contact")[0]["contactid"].(string)
	good := changesetBody([2]string{"POST /api/data/v9.2/contacts", `{"lastname":"Batch"}`})
	for _, tc := range []struct {
		name, ct, body, msg string
	}{
		{"no boundary", "multipart/mixed", good, "batch boundary"},
		{"not multipart", "application/json", `{}`, "batch boundary"},
		{"wrong boundary", "multipart/mixed; boundary=batch_other", good, "malformed"},
		{"no closing delimiter", batchCT, strings.TrimSuffix(good, "--batch_AAA123--\r\n"), "malformed"},
		{"part without application/http", batchCT, strings.Replace(good, "Content-Type: application/http", "Content-Type: text/plain", 1),
			"'Content-Type' header value 'text/plain' is not valid"},
		{"part without binary encoding", batchCT, strings.Replace(good, "Content-Transfer-Encoding: binary\r\n", "", 1),
			"'Content-Transfer-Encoding' header is missing or invalid"},
		{"bad request line", batchCT, strings.Replace(good, "POST /api/data/v9.2/contacts HTTP/1.1", "POST /api/data/v9.2/contacts", 1),
			"request line"},
		{"bad HTTP version", batchCT, strings.Replace(good, "HTTP/1.1", "HTTP/2", 1), "HTTP version"},
		{"GET in a change set", batchCT, changesetBody([2]string{"GET /api/data/v9.2/contacts", ""}), "invalid HTTP method 'GET'"},
		{"undeclared reference", batchCT, changesetBody([2]string{"PATCH $1", `{"statecode":1}`}),
			"Content-ID Reference: '$1' does not exist in the batch context."},
		{"reference declared later", batchCT, changesetBody(
			[2]string{"POST /api/data/v9.2/phonecalls", `{"subject":"x","regardingobjectid_contact_phonecall@odata.bind":"$2"}`},
			[2]string{"POST /api/data/v9.2/contacts", `{"lastname":"x"}`}),
			"Content-ID Reference: '$2' does not exist in the batch context."},
		{"nested change set", batchCT, strings.Replace(good, "Content-Type: application/http",
			"Content-Type: multipart/mixed; boundary=changeset_inner", 1), "Nested change sets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.batch(tc.ct, tc.body)
			body := decodeJSON(t, res)
			code, msg := errorOf(body)
			if res.StatusCode != 400 || code == "" || !strings.Contains(msg, tc.msg) ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("%d %v", res.StatusCode, body)
			}
		})
	}
	if n := len(e.s.Records("contact")); n == 0 || e.s.Records("contact")[n-1]["lastname"] == "Batch" {
		t.Fatal("a malformed batch wrote")
	}
	// Too many operations.
	var b strings.Builder
	for range maxBatchOps + 1 {
		b.WriteString("--batch_AAA123\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
			"GET /api/data/v9.2/contacts(" + jane + ") HTTP/1.1\r\n\r\n\r\n")
	}
	b.WriteString("--batch_AAA123--\r\n")
	res := e.batch(batchCT, b.String())
	if _, msg := errorOf(decodeJSON(t, res)); res.StatusCode != 400 || !strings.Contains(msg, "'1000'") {
		t.Fatalf("%d %s", res.StatusCode, msg)
	}
}

func TestBatchAuthAndFaults(t *testing.T) {
	e := start(t, Options{})
	good := changesetBody([2]string{"POST /api/data/v9.2/contacts", `{"lastname":"Batch"}`})
	tok := e.tok
	e.tok = "not-a-token"
	if res := e.batch(batchCT, good); res.StatusCode != 401 || res.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("unauthorized batch: %d", res.StatusCode)
	}
	e.tok = tok
	e.s.Inject(sandbox.Fault{Match: "/api/data/v9.2/$batch", Times: 1, Status: 429, Header: http.Header{"Retry-After": {"5"}},
		Body: `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`})
	if res := e.batch(batchCT, good); res.StatusCode != 429 || res.Header.Get("Retry-After") != "5" {
		t.Fatalf("fault: %d", res.StatusCode)
	}
	for _, c := range e.s.Records("contact") {
		if c["lastname"] == "Batch" {
			t.Fatal("a refused batch wrote")
		}
	}
	if res := e.batch(batchCT, good); res.StatusCode != 200 {
		t.Fatalf("after the fault: %d", res.StatusCode)
	}
	if n := e.s.Calls("POST /api/data/v9.2/$batch"); n != 3 || e.s.CallsPrefix("POST /api/data/v9.2/contacts") != 0 {
		t.Fatalf("batch calls %d", n)
	}
	// GET on $batch is not a batch.
	res, body := e.call(http.MethodGet, "$batch", nil)
	if res.StatusCode != 405 {
		t.Fatalf("GET $batch: %d %v", res.StatusCode, body)
	}
}
