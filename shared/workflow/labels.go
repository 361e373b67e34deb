package workflow

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// Field labels on the card: a dynamic data mapping's label wins (the search
// stored it); a field still shown by its API name gets the CRM's own label
// from the entity's metadata when the agent reads the card. That read is off
// Studio's path, and the metadata is cached per configuration and entity, so
// polling the card costs no CRM call while it is warm.
const (
	// labelTTL is how long an entity's labels are trusted; admins rename
	// fields rarely.
	labelTTL = 10 * time.Minute
	// labelDeadline bounds the metadata reads of one card read; the card
	// answers with API names rather than wait longer.
	labelDeadline = 2 * time.Second
	// maxLabelEntities bounds the metadata reads of one card read.
	maxLabelEntities = 5
)

// label fills the labels of card fields shown by their API name. A failure
// only leaves API names: the card always answers.
func (s *Service) label(ctx context.Context, tenantID string, c *store.Card) {
	entities := unlabeled(c)
	if len(entities) == 0 || c.ConfigurationID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, labelDeadline)
	defer cancel()
	conn, err := s.Get(ctx, tenantID, c.ConfigurationID)
	if err != nil {
		slog.WarnContext(ctx, "card labels: configuration not reachable", "error", logx.ErrorText(err))
		return
	}
	in, ok := conn.Connector.(crm.Inspector)
	if !ok {
		return
	}
	byEntity := map[string]map[string]string{}
	for _, e := range entities {
		key := tenantID + "/" + c.ConfigurationID + "/" + strconv.FormatInt(conn.Config.Version, 10) + "/" + e
		labels, _ := s.labels.Get(ctx, key, func(ctx context.Context, _ map[string]string, _ bool) (map[string]string, error) {
			// The load runs detached from this card read (shared/cache): a
			// slow CRM's answer still lands in the cache for the next read.
			dctx, cancel := context.WithTimeout(ctx, labelDeadline)
			defer cancel()
			meta, err := in.Describe(dctx, e)
			if err != nil {
				// Remember the failure for the TTL too: a card polled every few
				// seconds must not ask a CRM that cannot answer each time.
				slog.WarnContext(ctx, "card labels: metadata not read", "entity", e, "error", logx.ErrorText(err))
				return map[string]string{}, nil
			}
			out := make(map[string]string, len(meta.Fields))
			for _, f := range meta.Fields {
				if f.Label != "" {
					out[f.Name] = f.Label
				}
			}
			return out, nil
		})
		byEntity[e] = labels
	}
	relabel(c.Current, byEntity)
	relabel(c.Related, byEntity)
}

// unlabeled lists the entities (at most maxLabelEntities) whose card fields
// include one shown by its API name.
func unlabeled(c *store.Card) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(rs []store.CardRecord)
	walk = func(rs []store.CardRecord) {
		for _, r := range rs {
			for _, f := range r.Fields {
				if (f.Label == "" || f.Label == f.Name) && !seen[r.Entity] && len(out) < maxLabelEntities {
					seen[r.Entity] = true
					out = append(out, r.Entity)
				}
			}
			walk(r.Related)
		}
	}
	walk(c.Current)
	walk(c.Related)
	return out
}

func relabel(rs []store.CardRecord, byEntity map[string]map[string]string) {
	for i := range rs {
		labels := byEntity[rs[i].Entity]
		for j, f := range rs[i].Fields {
			if l, ok := labels[f.Name]; ok && (f.Label == "" || f.Label == f.Name) {
				rs[i].Fields[j].Label = l
			}
		}
		relabel(rs[i].Related, byEntity)
	}
}
