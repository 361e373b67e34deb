package stack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// FromContext reads Props from CDK context over Defaults. Values from cdk.json
// arrive typed (numbers, lists); values from `-c key=value` arrive as strings,
// so both are accepted.
func FromContext(node constructs.Node) (Props, error) {
	p := Defaults()
	get := func(key string) any { return node.TryGetContext(jsii.String(key)) }
	var err error
	setString := func(key string, dst *string) {
		if v := get(key); v != nil && err == nil {
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("context %s: want a string, got %v", key, v)
				return
			}
			*dst = s
		}
	}
	setNumber := func(key string, dst *float64) {
		if v := get(key); v != nil && err == nil {
			*dst, err = number(key, v)
		}
	}
	setInt := func(key string, dst *int) {
		if v := get(key); v != nil && err == nil {
			var f float64
			if f, err = number(key, v); err == nil {
				if f != float64(int(f)) {
					err = fmt.Errorf("context %s: want a whole number, got %v", key, v)
					return
				}
				*dst = int(f)
			}
		}
	}
	setString(CtxStage, &p.Stage)
	setString(CtxAssetDir, &p.AssetDir)
	setString(CtxAlarmTopicArn, &p.AlarmTopicArn)
	setString(CtxADOTLayerArn, &p.ADOTLayerArn)
	setInt(CtxMemorySize, &p.MemoryMB)
	setNumber(CtxThrottleRate, &p.ThrottleRate)
	setInt(CtxThrottleBurst, &p.ThrottleBurst)
	setNumber(CtxTenantRate, &p.TenantRate)
	setInt(CtxTenantBurst, &p.TenantBurst)
	setInt(CtxMaxConcurrency, &p.MaxConcurrency)
	setInt(CtxLogRetentionDays, &p.LogRetentionDays)
	if v := get(CtxCardOrigins); v != nil && err == nil {
		p.CardOrigins, err = stringList(CtxCardOrigins, v)
	}
	if err != nil {
		return Props{}, err
	}
	return p, nil
}

func number(key string, v any) (float64, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err != nil {
			return 0, fmt.Errorf("context %s: %q is not a number", key, n)
		}
		return f, nil
	}
	return 0, fmt.Errorf("context %s: want a number, got %v", key, v)
}

// stringList takes a JSON list or a comma-separated string ("" is empty).
func stringList(key string, v any) ([]string, error) {
	var items []string
	switch l := v.(type) {
	case string:
		items = strings.Split(l, ",")
	case []any:
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("context %s: want strings, got %v", key, e)
			}
			items = append(items, s)
		}
	default:
		return nil, fmt.Errorf("context %s: want a list or a comma-separated string, got %v", key, v)
	}
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}
