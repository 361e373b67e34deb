package dynamics

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// batchOp is one operation of a $batch change set. Operation i (from 1) has
// Content-ID i, and a later operation may name what it created as "$i".
type batchOp struct {
	method string
	target string // below the API root (phonecalls), or a reference ($1)
	body   any
	// mustExist sends If-Match: * so that a PATCH never creates a row.
	mustExist bool
}

// opReply is one operation's answer inside a $batch answer.
type opReply struct {
	contentID string
	status    int
	header    http.Header
	body      []byte
}

// changeset sends ops as one atomic change set in a single POST $batch: either
// every operation is applied or none is. id names the boundaries (it must be
// unique per batch; a key-derived record id keeps requests reproducible). The
// answers come back in order; when an operation fails, its status and error
// body are mapped as the answer to a lone request would be.
func (c *connector) changeset(ctx context.Context, op, id string, ops []batchOp) ([]opReply, error) {
	body, err := c.batchBody(op, id, ops)
	if err != nil {
		return nil, err
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: "$batch", Raw: body,
		Header: callHeader{contentType: "multipart/mixed; boundary=batch_" + id}.set, AnyStatus: true}, nil)
	if err != nil {
		return nil, err
	}
	mt, params, perr := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if perr != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		if !r.OK() {
			// Refused as a whole (throttled, unauthorized, malformed): a plain error answer.
			return nil, apiError(op, r.Status, r.Header, r.Body)
		}
		return nil, unreadableBatch(op, r.Status, fmt.Errorf("content type %q", r.Header.Get("Content-Type")))
	}
	replies, err := readBatchReplies(r.Body, params["boundary"])
	if err != nil {
		return nil, unreadableBatch(op, r.Status, err)
	}
	for _, p := range replies {
		if p.status < 200 || p.status > 299 {
			h := p.header
			if h.Get("Retry-After") == "" && r.Header.Get("Retry-After") != "" {
				h = h.Clone()
				h.Set("Retry-After", r.Header.Get("Retry-After"))
			}
			return nil, apiError(op, p.status, h, p.body)
		}
	}
	if !r.OK() {
		return nil, apiError(op, r.Status, r.Header, nil)
	}
	if len(replies) != len(ops) {
		return nil, unreadableBatch(op, r.Status, fmt.Errorf("%d answers to %d operations", len(replies), len(ops)))
	}
	return replies, nil
}

func unreadableBatch(op string, status int, err error) error {
	return &crm.Error{Code: crm.Internal, Op: op, Status: status, Message: "unreadable $batch answer from Dataverse", Err: err}
}

// batchBody writes the multipart/mixed payload: one batch part holding one
// change set of application/http operations, lines ending in CRLF.
func (c *connector) batchBody(op, id string, ops []batchOp) ([]byte, error) {
	root := strings.TrimPrefix(c.apiRoot, c.origin) // /api/data/v9.2/
	var b bytes.Buffer
	fmt.Fprintf(&b, "--batch_%s\r\nContent-Type: multipart/mixed; boundary=changeset_%s\r\n\r\n", id, id)
	for i, o := range ops {
		payload, err := crmhttp.Payload(op, o.body)
		if err != nil {
			return nil, err
		}
		target := o.target
		if !strings.HasPrefix(target, "$") {
			target = root + target
		}
		fmt.Fprintf(&b, "--changeset_%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"+
			"Content-ID: %d\r\n\r\n%s %s HTTP/1.1\r\n", id, i+1, o.method, target)
		if payload != nil {
			b.WriteString("Content-Type: application/json; charset=utf-8\r\n")
		}
		if o.mustExist {
			b.WriteString("If-Match: *\r\n")
		}
		b.WriteString("\r\n")
		b.Write(payload)
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--changeset_%s--\r\n--batch_%s--\r\n", id, id)
	return b.Bytes(), nil
}

// readBatchReplies reads the application/http answers of a batch answer, those
// of change set answers (multipart/mixed parts) included, in order.
func readBatchReplies(body []byte, boundary string) ([]opReply, error) {
	var out []opReply
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		mt, params, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch {
		case mt == "multipart/mixed" && params["boundary"] != "":
			inner, err := readBatchReplies(data, params["boundary"])
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
		case mt == "application/http":
			res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), nil)
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				return nil, err
			}
			out = append(out, opReply{contentID: strings.TrimSpace(p.Header.Get("Content-ID")), status: res.StatusCode,
				header: res.Header, body: bytes.TrimSpace(b)})
		default:
			return nil, fmt.Errorf("batch part of type %q", p.Header.Get("Content-Type"))
		}
	}
}

// batchGet is a GET operation of a $batch, outside any change set (GET is
// not allowed inside one).
type batchGet struct {
	target   string // below the API root, with its encoded query options
	pageSize int    // Prefer: odata.maxpagesize of the operation
	noCache  bool   // If-None-Match: null
}

// getAll sends GET operations in one POST $batch. Dataverse runs them in
// order and, without Prefer: odata.continue-on-error, stops at the first
// that fails, answering the batch with that failure's status
// (execute-batch-operations-using-web-api.md, "Handling errors"); so the
// answers are those of the operations up to the first failure, in order.
// The caller reads each as the answer to a lone request.
func (c *connector) getAll(ctx context.Context, op string, gets []batchGet) ([]opReply, error) {
	id := batchID()
	root := strings.TrimPrefix(c.apiRoot, c.origin) // /api/data/v9.2/
	var b bytes.Buffer
	for _, g := range gets {
		fmt.Fprintf(&b, "--batch_%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"+
			"GET %s%s HTTP/1.1\r\nAccept: application/json\r\n", id, root, g.target)
		if g.pageSize > 0 {
			fmt.Fprintf(&b, "Prefer: odata.maxpagesize=%d\r\n", g.pageSize)
		}
		if g.noCache {
			b.WriteString("If-None-Match: null\r\n")
		}
		b.WriteString("\r\n\r\n")
	}
	fmt.Fprintf(&b, "--batch_%s--\r\n", id)
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: "$batch", Raw: b.Bytes(),
		Header: callHeader{contentType: "multipart/mixed; boundary=batch_" + id}.set, AnyStatus: true}, nil)
	if err != nil {
		return nil, err
	}
	mt, params, perr := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if perr != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		if !r.OK() {
			return nil, apiError(op, r.Status, r.Header, r.Body)
		}
		return nil, unreadableBatch(op, r.Status, fmt.Errorf("content type %q", r.Header.Get("Content-Type")))
	}
	replies, err := readBatchReplies(r.Body, params["boundary"])
	if err != nil {
		return nil, unreadableBatch(op, r.Status, err)
	}
	for i, p := range replies {
		if p.status < 200 || p.status > 299 {
			if h := r.Header.Get("Retry-After"); h != "" && p.header.Get("Retry-After") == "" {
				replies[i].header = p.header.Clone()
				replies[i].header.Set("Retry-After", h)
			}
			return replies[:i+1], nil
		}
	}
	if !r.OK() || len(replies) != len(gets) {
		return nil, unreadableBatch(op, r.Status, fmt.Errorf("%d answers to %d operations", len(replies), len(gets)))
	}
	return replies, nil
}

// batchID names a read batch's boundary; it must only be unique.
func batchID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
