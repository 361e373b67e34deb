package cli

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"strings"
)

func tenantsCreate(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Creates a tenant with the platform key and prints its id.")
	name := fs.String("name", "", "the tenant's name, for people (required)")
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	if *name == "" {
		return usagef(c.name, "tenants create needs --name <name>")
	}
	return r.call(ctx, c, "POST", pathOf("v1", "tenants"), nil, map[string]string{"name": *name}, func(resp *Response) error {
		var t struct{ TenantID, Name, Created string }
		if err := decode(resp, &t); err != nil {
			return err
		}
		tb := newTable(r.env.Stdout, "TENANT ID", "NAME", "CREATED")
		tb.row(t.TenantID, t.Name, t.Created)
		return tb.flush()
	})
}

func keysList(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Lists a tenant's keys: id, role and creation time. Keys themselves are never shown again.")
	tenantFlag := fs.String("tenant", "", "the tenant (default $"+EnvTenant+")")
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	tenant, err := r.tenant(c.name, *tenantFlag)
	if err != nil {
		return err
	}
	return r.call(ctx, c, "GET", pathOf("v1", "tenants", tenant, "keys"), nil, nil, func(resp *Response) error {
		var out struct {
			Keys []struct{ KeyID, Role, Created string }
		}
		if err := decode(resp, &out); err != nil {
			return err
		}
		tb := newTable(r.env.Stdout, "KEY ID", "ROLE", "CREATED")
		for _, k := range out.Keys {
			tb.row(k.KeyID, k.Role, k.Created)
		}
		return tb.flush()
	})
}

func keysCreate(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Creates a key and prints it, once: only its hash is stored. The platform key creates\n"+
		"keys of any role for any tenant; an admin key admin, studio and agent keys of its own tenant.")
	tenantFlag := fs.String("tenant", "", "the tenant (default $"+EnvTenant+"); platform keys live in tenant \"platform\"")
	role := fs.String("role", "", "admin, studio, agent or platform (required)")
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	tenant, err := r.tenant(c.name, *tenantFlag)
	if err != nil {
		return err
	}
	if *role == "" {
		return usagef(c.name, "keys create needs --role admin|studio|agent|platform")
	}
	return r.call(ctx, c, "POST", pathOf("v1", "tenants", tenant, "keys"), nil, map[string]string{"role": *role}, func(resp *Response) error {
		var k struct{ KeyID, Key, TenantID, Role string }
		if err := decode(resp, &k); err != nil {
			return err
		}
		tb := newTable(r.env.Stdout, "KEY ID", "ROLE", "TENANT", "KEY")
		tb.row(k.KeyID, k.Role, k.TenantID, k.Key)
		if err := tb.flush(); err != nil {
			return err
		}
		fmt.Fprintln(r.env.Stderr, "the key is shown this once: crmflow stores only its hash")
		return nil
	})
}

func keysDelete(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Deletes a key: it stops working at once in the local run, in AWS within the authorizer's cache TTL.")
	tenantFlag := fs.String("tenant", "", "the tenant (default $"+EnvTenant+")")
	pos, err := r.parse(c, fs, args, 1, 1, "a <keyId>")
	if err != nil {
		return err
	}
	tenant, err := r.tenant(c.name, *tenantFlag)
	if err != nil {
		return err
	}
	return r.call(ctx, c, "DELETE", pathOf("v1", "tenants", tenant, "keys", pos[0]), nil, nil, func(*Response) error {
		_, err := fmt.Fprintf(r.env.Stdout, "deleted key %s of tenant %s\n", pos[0], tenant)
		return err
	})
}

func configsList(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Lists the tenant's configurations (admin key).")
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	return r.call(ctx, c, "GET", pathOf("v1", "configurations"), nil, nil, func(resp *Response) error {
		var out struct {
			Configurations []struct {
				ConfigurationID, Name, CRM, BaseURL, Updated string
				Auth                                         struct{ Type string }
			}
		}
		if err := decode(resp, &out); err != nil {
			return err
		}
		tb := newTable(r.env.Stdout, "CONFIGURATION ID", "NAME", "CRM", "BASE URL", "AUTH", "UPDATED")
		for _, cf := range out.Configurations {
			tb.row(cf.ConfigurationID, cf.Name, cf.CRM, cf.BaseURL, cf.Auth.Type, cf.Updated)
		}
		return tb.flush()
	})
}

func configsGet(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Reads one configuration; credentials show only as \"set\" (they are write-only).")
	pos, err := r.parse(c, fs, args, 1, 1, "a <configurationId>")
	if err != nil {
		return err
	}
	return r.call(ctx, c, "GET", pathOf("v1", "configurations", pos[0]), nil, nil, func(resp *Response) error {
		return printFields(r.env.Stdout, resp.Body)
	})
}

func configsPut(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Creates or replaces a configuration from a JSON file (README, \"Configuration reference\").\n"+
		"Credentials in the file go to Secrets Manager only; omit them on a replace to keep the stored ones.")
	file := fileFlag(fs)
	pos, err := r.parse(c, fs, args, 1, 1, "a <configurationId>")
	if err != nil {
		return err
	}
	body, err := r.readBody(c.name, *file)
	if err != nil {
		return err
	}
	return r.call(ctx, c, "PUT", pathOf("v1", "configurations", pos[0]), nil, body, func(resp *Response) error {
		verb := "replaced"
		if resp.Status == http.StatusCreated {
			verb = "created"
		}
		fmt.Fprintf(r.env.Stdout, "%s configuration %s\n", verb, pos[0])
		return printFields(r.env.Stdout, resp.Body)
	})
}

func configsDelete(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Deletes a configuration with its workflows, mappings and secret.")
	pos, err := r.parse(c, fs, args, 1, 1, "a <configurationId>")
	if err != nil {
		return err
	}
	return r.call(ctx, c, "DELETE", pathOf("v1", "configurations", pos[0]), nil, nil, func(*Response) error {
		_, err := fmt.Fprintf(r.env.Stdout, "deleted configuration %s\n", pos[0])
		return err
	})
}

func configsTest(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Tests a configuration against its CRM: authenticates, reads a record of each entity its\n"+
		"workflows and mappings use, checks the mappings against the CRM's metadata. It writes nothing.\n"+
		"Exit 1 when a check fails (with --json too).")
	pos, err := r.parse(c, fs, args, 1, 1, "a <configurationId>")
	if err != nil {
		return err
	}
	resp, err := r.do(ctx, c, "POST", pathOf("v1", "configurations", pos[0], "test"), nil, nil)
	if err != nil {
		return err
	}
	var rep struct {
		OK     bool
		Checks []struct {
			Name    string
			OK      bool
			Message string
		}
	}
	if err := decode(resp, &rep); err != nil {
		return err
	}
	err = r.show(resp, func(*Response) error {
		tb := newTable(r.env.Stdout, "CHECK", "RESULT", "MESSAGE")
		for _, ch := range rep.Checks {
			result := "ok"
			if !ch.OK {
				result = "FAILED"
			}
			tb.row(ch.Name, result, ch.Message)
		}
		return tb.flush()
	})
	if err != nil {
		return err
	}
	failed := 0
	for _, ch := range rep.Checks {
		if !ch.OK {
			failed++
		}
	}
	if !rep.OK {
		return &failedError{msg: fmt.Sprintf("configuration %s: %d of %d checks failed", pos[0], failed, len(rep.Checks))}
	}
	if !r.g.json {
		fmt.Fprintf(r.env.Stdout, "configuration %s: all %d checks passed\n", pos[0], len(rep.Checks))
	}
	return nil
}

func workflowsList(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Lists a configuration's workflows: the built-in catalog and the admins' own.")
	config := fs.String("config", "", "the configuration (required; or give it as the argument)")
	pos, err := r.parse(c, fs, args, 0, 1, "")
	if err != nil {
		return err
	}
	id, err := configArg(c.name, *config, pos)
	if err != nil {
		return err
	}
	return r.call(ctx, c, "GET", pathOf("v1", "configurations", id, "workflows"), nil, nil, func(resp *Response) error {
		var out struct {
			Workflows []struct{ WorkflowID, Action, Name, Entity, DataMappingID string }
		}
		if err := decode(resp, &out); err != nil {
			return err
		}
		tb := newTable(r.env.Stdout, "WORKFLOW ID", "ACTION", "NAME", "ENTITY / MAPPING")
		for _, w := range out.Workflows {
			tb.row(w.WorkflowID, w.Action, w.Name, orDash(w.Entity+w.DataMappingID))
		}
		return tb.flush()
	})
}

// configArg is --config, or the one positional argument when a command takes it that way.
func configArg(cmd, flagValue string, pos []string) (string, error) {
	switch {
	case flagValue != "" && len(pos) > 0:
		return "", usagef(cmd, "give the configuration once: --config %s or %s", flagValue, pos[0])
	case flagValue != "":
		return flagValue, nil
	case len(pos) == 1:
		return pos[0], nil
	}
	return "", usagef(cmd, "%s needs --config <configurationId>", cmd)
}

// mappingKind is what --dynamic chooses: data memorialization mappings or dynamic data mappings.
type mappingKind struct {
	segment, listKey, idKey string
}

var (
	dataMappings    = mappingKind{"data-mappings", "dataMappings", "dataMappingId"}
	dynamicMappings = mappingKind{"dynamic-data-mappings", "dynamicDataMappings", "dynamicDataMappingId"}
)

// mappingFlags are the flags every mappings command takes; parse checks --config.
func mappingFlags(r *runner, c *command, summary string) (fs *flag.FlagSet, config *string, dynamic *bool, parse func(args []string, min, max int, what string) ([]string, error)) {
	fs = r.flagSet(c.name, summary)
	config = fs.String("config", "", "the configuration (required)")
	dynamic = fs.Bool("dynamic", false, "dynamic data mappings (what a search looks in and shows) instead of data memorialization mappings")
	parse = func(args []string, min, max int, what string) ([]string, error) {
		pos, err := r.parse(c, fs, args, min, max, what)
		if err != nil {
			return nil, err
		}
		if *config == "" {
			return nil, usagef(c.name, "%s needs --config <configurationId>", c.name)
		}
		return pos, nil
	}
	return fs, config, dynamic, parse
}

func kindOf(dynamic bool) mappingKind {
	if dynamic {
		return dynamicMappings
	}
	return dataMappings
}

func mappingsList(ctx context.Context, r *runner, c *command, args []string) error {
	_, config, dynamic, parse := mappingFlags(r, c, "Lists a configuration's data memorialization mappings (--dynamic: its dynamic data mappings).")
	if _, err := parse(args, 0, 0, ""); err != nil {
		return err
	}
	k := kindOf(*dynamic)
	return r.call(ctx, c, "GET", pathOf("v1", "configurations", *config, k.segment), nil, nil, func(resp *Response) error {
		var out map[string][]struct {
			DataMappingID, DynamicDataMappingID, Entity, Mode, Updated string
			Fields                                                     []struct{ Target string }
			Entities                                                   []struct{ Entity string }
		}
		if err := decode(resp, &out); err != nil {
			return err
		}
		if *dynamic {
			tb := newTable(r.env.Stdout, "DYNAMIC DATA MAPPING ID", "ENTITIES", "UPDATED")
			for _, m := range out[k.listKey] {
				var es []string
				for _, e := range m.Entities {
					es = append(es, e.Entity)
				}
				tb.row(m.DynamicDataMappingID, orDash(strings.Join(es, ", ")), m.Updated)
			}
			return tb.flush()
		}
		tb := newTable(r.env.Stdout, "DATA MAPPING ID", "ENTITY", "MODE", "FIELDS", "UPDATED")
		for _, m := range out[k.listKey] {
			var ts []string
			for _, f := range m.Fields {
				ts = append(ts, f.Target)
			}
			tb.row(m.DataMappingID, m.Entity, orDash(m.Mode), orDash(strings.Join(ts, ", ")), m.Updated)
		}
		return tb.flush()
	})
}

func mappingsGet(ctx context.Context, r *runner, c *command, args []string) error {
	_, config, dynamic, parse := mappingFlags(r, c, "Reads one mapping.")
	pos, err := parse(args, 1, 1, "a <mappingId>")
	if err != nil {
		return err
	}
	return r.call(ctx, c, "GET", pathOf("v1", "configurations", *config, kindOf(*dynamic).segment, pos[0]), nil, nil, func(resp *Response) error {
		return printFields(r.env.Stdout, resp.Body)
	})
}

func mappingsPut(ctx context.Context, r *runner, c *command, args []string) error {
	fs, config, dynamic, parse := mappingFlags(r, c, "Creates or replaces a mapping from a JSON file. A data memorialization mapping also\n"+
		"creates its workflow memorialize_<mappingId>. Mappings are checked when saved.")
	file := fileFlag(fs)
	pos, err := parse(args, 1, 1, "a <mappingId>")
	if err != nil {
		return err
	}
	body, err := r.readBody(c.name, *file)
	if err != nil {
		return err
	}
	k := kindOf(*dynamic)
	return r.call(ctx, c, "PUT", pathOf("v1", "configurations", *config, k.segment, pos[0]), nil, body, func(resp *Response) error {
		fmt.Fprintf(r.env.Stdout, "saved %s %s of configuration %s\n", k.idKey, pos[0], *config)
		return printFields(r.env.Stdout, resp.Body)
	})
}

func mappingsDelete(ctx context.Context, r *runner, c *command, args []string) error {
	_, config, dynamic, parse := mappingFlags(r, c, "Deletes a mapping (a data memorialization mapping with its workflow).")
	pos, err := parse(args, 1, 1, "a <mappingId>")
	if err != nil {
		return err
	}
	k := kindOf(*dynamic)
	return r.call(ctx, c, "DELETE", pathOf("v1", "configurations", *config, k.segment, pos[0]), nil, nil, func(*Response) error {
		_, err := fmt.Fprintf(r.env.Stdout, "deleted %s %s of configuration %s\n", k.idKey, pos[0], *config)
		return err
	})
}
