package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/cxone"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

// JobRef is one job in the 202 answer of an enqueue.
type JobRef struct {
	JobID  string       `json:"jobId"`
	Action store.Action `json:"action"`
	Status string       `json:"status"`
}

// Enqueued is the 202 body of timeline and datamemorialization.
type Enqueued struct {
	Jobs []JobRef `json:"jobs"`
}

// maxRecords bounds how many linked records one job writes to.
const maxRecords = 25

// Enqueue runs POST /v1/workflows/{timeline|datamemorialization}: it checks
// the request, stores the job (PutJobIfAbsent on its deterministic id) and
// sends it to the action's queue. It returns only after the send succeeded,
// so a 202 means the job is durably queued. The same request again finds the
// same job: one still queued or running is sent again (harmless, the
// consumer is idempotent), one that is finished or dead-lettered is not.
func (s *Service) Enqueue(ctx context.Context, tenantID string, action store.Action, req workflow.ExecRequest) (Enqueued, error) {
	if action != store.ActionTimeline && action != store.ActionDataMemorialization {
		return Enqueued{}, fmt.Errorf("enqueue: action %q has no queue", action)
	}
	// A memorialization may name only its mapping: the workflow is the one
	// the mapping was created with.
	if action == store.ActionDataMemorialization && req.WorkflowID == "" && req.DataMappingID != "" {
		req.WorkflowID = store.MemorializeWorkflowID(req.DataMappingID)
	}
	if err := checkIDs(req); err != nil {
		return Enqueued{}, err
	}
	ctx = logx.With(ctx, "configurationId", req.ConfigurationID, "workflowId", req.WorkflowID, "contactId", req.ContactID, "action", action)
	w, err := s.o.Connections.Workflow(ctx, tenantID, req.ConfigurationID, req.WorkflowID)
	if err != nil {
		return Enqueued{}, err
	}
	if w.Action != action {
		return Enqueued{}, &apperr.Error{Kind: apperr.Unprocessable, Field: "workflowId",
			Message: "workflow action is " + string(w.Action) + ", this route runs " + string(action)}
	}
	var mapping store.DataMapping
	if action == store.ActionDataMemorialization {
		if mapping, err = s.mapping(ctx, tenantID, w, req.DataMappingID); err != nil {
			return Enqueued{}, err
		}
	}
	contact, err := decodeContact(req.CxoneContact)
	if err != nil {
		return Enqueued{}, err
	}
	if contact.ContactID == "" {
		contact.ContactID = req.ContactID
	}
	if contact.InteractionID == "" {
		contact.InteractionID = req.InteractionID
	}
	records, err := s.records(ctx, tenantID, req)
	if err != nil {
		return Enqueued{}, err
	}
	if len(req.Records) > 0 {
		if err := s.canonicalRecords(ctx, tenantID, req.ConfigurationID, records); err != nil {
			return Enqueued{}, err
		}
	}
	if mapping.Mode == crm.ModeUpdate && !hasEntity(records, mapping.Entity) {
		return Enqueued{}, apperr.Field("records", "mapping %s updates %s records and none is linked (pass one in records or pin one on the card)", mapping.ID, mapping.Entity)
	}

	body, err := json.Marshal(payload{CxoneContact: contact, Records: records, InteractionID: req.InteractionID})
	if err != nil {
		return Enqueued{}, fmt.Errorf("enqueue: encode payload: %w", err)
	}
	key := w.ID
	if action == store.ActionDataMemorialization {
		key = mapping.ID
	}
	now := s.o.Now().UTC()
	j := store.Job{
		TenantID: tenantID, ID: JobID(tenantID, req.ConfigurationID, req.ContactID, action, key),
		Action: action, Status: store.JobQueued, ConfigurationID: req.ConfigurationID, ContactID: req.ContactID,
		WorkflowID: w.ID, DataMappingID: mapping.ID, Payload: body, Created: now, Updated: now,
	}
	ctx = logx.With(ctx, "jobId", j.ID)
	stored, err := s.o.Store.PutJobIfAbsent(ctx, j)
	switch {
	case errors.Is(err, store.ErrExists):
		if !bytes.Equal(stored.Payload, j.Payload) {
			// The same job id (contact, action, workflow or mapping) with
			// another body: answering the first job would silently drop
			// what changed.
			return Enqueued{}, &apperr.Error{Kind: apperr.Conflict, Field: "jobId",
				Message: "job " + j.ID + " exists for this contact and workflow with another request body (cxoneContact or records); it is " + stored.Status}
		}
		if stored.Finished() || stored.Status == store.JobDeadlettered {
			slog.InfoContext(ctx, "job already done, not sent again", "status", stored.Status)
			return enqueued(stored), nil
		}
	case err != nil:
		return Enqueued{}, fmt.Errorf("enqueue: store job: %w", err)
	}
	if err := s.send(ctx, stored); err != nil {
		return Enqueued{}, err
	}
	slog.InfoContext(ctx, "job queued", "records", len(records), "status", stored.Status)
	return enqueued(stored), nil
}

func enqueued(j store.Job) Enqueued {
	return Enqueued{Jobs: []JobRef{{JobID: j.ID, Action: j.Action, Status: j.Status}}}
}

// send puts the job on its action's queue; a failure is a 503 the caller may
// retry (the job record is already there and the retry finds it).
func (s *Service) send(ctx context.Context, j store.Job) error {
	url := s.o.QueueURLs[j.Action]
	if url == "" {
		return fmt.Errorf("enqueue: no queue configured for %s", j.Action)
	}
	body, err := json.Marshal(message{TenantID: j.TenantID, JobID: j.ID})
	if err != nil {
		return err
	}
	if _, err := s.o.Queue.Send(ctx, url, string(body), 0); err != nil {
		slog.ErrorContext(ctx, "job not queued", "error", err.Error())
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the job could not be queued; send the request again", Err: err}
	}
	return nil
}

func checkIDs(req workflow.ExecRequest) error {
	for _, f := range []struct{ name, v string }{
		{"configurationId", req.ConfigurationID}, {"workflowId", req.WorkflowID}, {"contactId", req.ContactID},
	} {
		if f.v == "" {
			return apperr.Field(f.name, "is required")
		}
		if !workflow.ValidID(f.v) {
			return apperr.Field(f.name, "must be 1-128 characters of letters, digits, _ . : -")
		}
	}
	for _, f := range []struct{ name, v string }{{"dataMappingId", req.DataMappingID}, {"interactionId", req.InteractionID}} {
		if f.v != "" && !workflow.ValidID(f.v) {
			return apperr.Field(f.name, "must be 1-128 characters of letters, digits, _ . : -")
		}
	}
	return nil
}

// mapping picks the data mapping of a memorialization: the request's
// dataMappingId, else the workflow's.
func (s *Service) mapping(ctx context.Context, tenantID string, w store.Workflow, requested string) (store.DataMapping, error) {
	id := requested
	switch {
	case id == "" && w.DataMappingID == "":
		return store.DataMapping{}, apperr.Field("dataMappingId", "is required (workflow %s names no data mapping)", w.ID)
	case id == "":
		id = w.DataMappingID
	case w.DataMappingID != "" && w.DataMappingID != id:
		return store.DataMapping{}, apperr.Field("dataMappingId", "workflow %s memorializes data mapping %s", w.ID, w.DataMappingID)
	}
	m, err := s.o.Store.GetDataMapping(ctx, tenantID, w.ConfigurationID, id)
	if errors.Is(err, store.ErrNotFound) {
		return m, &apperr.Error{Kind: apperr.NotFound, Field: "dataMappingId", Message: "data mapping " + id + " not found"}
	}
	if err != nil {
		return m, fmt.Errorf("read data mapping: %w", err)
	}
	return m, nil
}

// decodeContact reads and checks cxoneContact, naming the bad field.
func decodeContact(raw json.RawMessage) (cxone.Contact, error) {
	var c cxone.Contact
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return c, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return c, apperr.Field("cxoneContact."+te.Field, "must be %s", te.Type.String())
		}
		var pe *time.ParseError
		if errors.As(err, &pe) {
			return c, apperr.Field("cxoneContact", "times must be RFC 3339, e.g. 2026-01-15T09:30:00Z")
		}
		return c, apperr.Field("cxoneContact", "must be a JSON object of contact-center fields")
	}
	if err := c.Validate(); err != nil {
		var fe *cxone.FieldError
		if errors.As(err, &fe) {
			return c, apperr.Field("cxoneContact."+fe.Field, "%s", fe.Msg)
		}
		return c, apperr.Field("cxoneContact", "%v", err)
	}
	return c, nil
}

// records are the request's records, else the card's linked (pinned) ones.
func (s *Service) records(ctx context.Context, tenantID string, req workflow.ExecRequest) ([]crm.Ref, error) {
	if len(req.Records) > maxRecords {
		return nil, apperr.Field("records", "has more than %d records", maxRecords)
	}
	for i, r := range req.Records {
		if !crm.ValidEntityName(r.Entity) {
			return nil, apperr.Field(fmt.Sprintf("records[%d].entity", i), "must be an entity name of the CRM")
		}
		if !workflow.ValidID(r.ID) {
			return nil, apperr.Field(fmt.Sprintf("records[%d].id", i), "must be 1-128 characters of letters, digits, _ . : -")
		}
	}
	if len(req.Records) > 0 {
		return req.Records, nil
	}
	card, err := s.o.Store.GetCard(ctx, tenantID, req.ContactID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read card: %w", err)
	}
	linked := card.Linked()
	if len(linked) == 0 {
		return nil, apperr.Field("records", "names no record and contact %s has no pinned record on its card to write to", req.ContactID)
	}
	return linked, nil
}

// canonicalRecords puts the entities of the records a request names into the
// CRM's canonical spelling (the card's records already are), so the job
// writes where the mapping says and a spelling the CRM does not take is a 400
// now rather than a failed job after the call.
func (s *Service) canonicalRecords(ctx context.Context, tenantID, configurationID string, records []crm.Ref) error {
	d, err := s.o.Connections.Driver(ctx, tenantID, configurationID)
	if err != nil {
		return err
	}
	for i := range records {
		canon, err := d.Canonical(records[i].Entity)
		if err != nil {
			msg := err.Error()
			if e, ok := crm.AsRefusal(err); ok {
				msg = e.Message
			}
			return apperr.Field(fmt.Sprintf("records[%d].entity", i), "%s", msg)
		}
		records[i].Entity = canon
	}
	return nil
}

func hasEntity(refs []crm.Ref, entity string) bool {
	for _, r := range refs {
		if strings.EqualFold(r.Entity, entity) {
			return true
		}
	}
	return false
}
