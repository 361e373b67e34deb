package cli

import (
	"context"
	"encoding/json"
	"fmt"
)

// DefaultContact is the contact a search from the terminal runs for when
// --contact is not given; its card is where the results land.
const DefaultContact = "crmflow-cli"

// searchRecord is what the table shows of a record of a search answer.
type searchRecord struct {
	Entity, ID, Display, URL, Source string
	Related                          []searchRecord
}

func search(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Runs a search workflow as a Studio script does (POST /v1/workflows/search, studio key):\n"+
		"the caller's number across every phone field, an email, or a portable filter. The results\n"+
		"also land on the contact's customer card.")
	config := fs.String("config", "", "the configuration (required)")
	phone := fs.String("phone", "", "a phone number in any format: +1 (415) 555-0100")
	email := fs.String("email", "", "an email address")
	input := fs.String("input", "", `a workflowInput as JSON: {"customSearch": {"entity": "Contact", "filter": {…}}}`)
	workflow := fs.String("workflow", "", "the workflow (default search_phone, search_email or search_custom, after the input)")
	contact := fs.String("contact", DefaultContact, "the contact id the search runs for (its card gets the results)")
	ddm := fs.String("dynamic-mapping", "", "a dynamicDataMappingId: what entities and fields to search and show")
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	if *config == "" {
		return usagef(c.name, "search needs --config <configurationId>")
	}
	var (
		wfInput    any
		defaultWF  string
		inputsSeen int
	)
	if *phone != "" {
		wfInput, defaultWF, inputsSeen = map[string]string{"phoneNumber": *phone}, "search_phone", inputsSeen+1
	}
	if *email != "" {
		wfInput, defaultWF, inputsSeen = map[string]string{"email": *email}, "search_email", inputsSeen+1
	}
	if *input != "" {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(*input), &obj); err != nil {
			return usagef(c.name, "--input: not a JSON object: %v", err)
		}
		wfInput, defaultWF, inputsSeen = json.RawMessage(*input), "search_custom", inputsSeen+1
	}
	if inputsSeen != 1 {
		return usagef(c.name, "search needs one of --phone, --email or --input")
	}
	if *workflow == "" {
		*workflow = defaultWF
	}
	body := map[string]any{"configurationId": *config, "workflowId": *workflow, "contactId": *contact, "workflowInput": wfInput}
	if *ddm != "" {
		body["dynamicDataMappingId"] = *ddm
	}
	return r.call(ctx, c, "POST", pathOf("v1", "workflows", "search"), nil, body, func(resp *Response) error {
		var res struct {
			MatchCount   int
			Complete     *bool
			ScreenPopURL string
			Records      []searchRecord
		}
		if err := decode(resp, &res); err != nil {
			return err
		}
		fmt.Fprintf(r.env.Stdout, "%d match(es) for contact %s\n", res.MatchCount, *contact)
		if len(res.Records) > 0 {
			tb := newTable(r.env.Stdout, "ENTITY", "ID", "DISPLAY", "URL")
			for _, rec := range res.Records {
				display := rec.Display
				if rec.Source == "card" {
					display += " (from the card)"
				}
				tb.row(rec.Entity, rec.ID, display, orDash(rec.URL))
				for _, rel := range rec.Related {
					tb.row("  └ "+rel.Entity, rel.ID, rel.Display, orDash(rel.URL))
				}
			}
			if err := tb.flush(); err != nil {
				return err
			}
		}
		if res.ScreenPopURL != "" {
			fmt.Fprintf(r.env.Stdout, "screen pop: %s\n", res.ScreenPopURL)
		}
		if res.Complete != nil && !*res.Complete {
			fmt.Fprintln(r.env.Stdout, "incomplete: the matches are all here, their open cases could not be read in time")
		}
		return nil
	})
}
