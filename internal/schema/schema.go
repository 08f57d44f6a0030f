// Package schema builds JSON Schemas of the rubric and assessment files, so
// editors can complete keys and flag mistakes as an analyst types.
package schema

import (
	"encoding/json"
	"fmt"

	"github.com/capscore/capscore/internal/rubric"
)

type obj = map[string]any

const (
	idPattern   = `^[a-z0-9]+(-[a-z0-9]+)*$`
	datePattern = `^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`
)

func object(required []string, props obj) obj {
	o := obj{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func text(desc string) obj { return obj{"type": "string", "description": desc} }

func number(desc string) obj { return obj{"type": "number", "description": desc} }

func weight(desc string) obj {
	return obj{"type": "number", "minimum": 0, "description": desc}
}

func idMap(value obj, desc string) obj {
	return obj{"type": "object", "description": desc, "propertyNames": obj{"pattern": idPattern}, "additionalProperties": value}
}

// Rubric returns the JSON Schema of a rubric file.
func Rubric() obj {
	var pillarIDs []string
	for _, p := range rubric.Pillars() {
		pillarIDs = append(pillarIDs, p.ID)
	}
	levels := obj{"type": "object", "description": "one descriptor per scale level",
		"propertyNames": obj{"pattern": `^-?[0-9]+$`}, "additionalProperties": obj{"type": "string"}}
	criterion := object([]string{"id", "title", "levels"}, obj{
		"id":            obj{"type": "string", "pattern": idPattern, "description": "unique across the rubric, lowercase kebab-case"},
		"title":         text("short title"),
		"question":      text("the question the analyst answers"),
		"weight":        weight("relative weight among the pillar's criteria (default 1)"),
		"weight_reason": text("why the weight differs from its siblings'"),
		"levels":        levels,
		"measure": object([]string{"fact", "thresholds"}, obj{
			"fact":       obj{"type": "string", "pattern": idPattern, "description": "fact id in the assessment"},
			"unit":       text("unit of the fact"),
			"max_age":    obj{"type": "integer", "minimum": 1, "maximum": 100, "description": "years the fact may be old at as_of before audit calls it stale"},
			"basis":      text("what the fact counts and on whose figures; when set, every fact read must state its basis"),
			"thresholds": obj{"type": "array", "items": obj{"type": "number"}, "description": "exactly max-min values, strictly ascending"},
		}),
	})
	pillar := object([]string{"id", "title", "criteria"}, obj{
		"id":            obj{"enum": pillarIDs},
		"title":         text("pillar title"),
		"description":   text("what the pillar weighs"),
		"weight":        weight("relative weight among the pillars (default 1)"),
		"weight_reason": text("why the weight differs from its siblings'"),
		"criteria":      obj{"type": "array", "minItems": 1, "items": criterion},
	})
	weightsMap := idMap(weight("relative weight"), "pillar or criterion id to weight")
	tier := object([]string{"id", "label"}, obj{
		"id":                    text("tier id"),
		"label":                 text("tier label"),
		"overall_at_least":      obj{"type": "number", "minimum": 0, "maximum": 100},
		"every_pillar_at_least": obj{"type": "number", "minimum": 0, "maximum": 100},
		"pillars_at_least": object([]string{"count", "score"}, obj{
			"count": obj{"type": "integer", "minimum": 1, "maximum": len(pillarIDs)},
			"score": obj{"type": "number", "minimum": 0, "maximum": 100},
		}),
	})
	return obj{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     "https://capscore.dev/schemas/rubric.schema.json",
		"title":   "capscore rubric",
		"type":    "object", "additionalProperties": false,
		"required": []string{"id", "version", "title", "scale", "tiers", "pillars"},
		"properties": obj{
			"id":          obj{"type": "string", "pattern": idPattern},
			"version":     text("rubric version, e.g. 1.0.0"),
			"title":       text("rubric title"),
			"description": text("what the rubric is for"),
			"level_rule":  text("how a judged level whose conditions are met only in part is read"),
			"scale": object([]string{"min", "max"}, obj{
				"min":    obj{"type": "integer"},
				"max":    obj{"type": "integer"},
				"labels": obj{"type": "object", "propertyNames": obj{"pattern": `^-?[0-9]+$`}, "additionalProperties": obj{"type": "string"}},
			}),
			"aggregation": obj{"enum": []string{"arithmetic", "geometric"}},
			"missing":     obj{"enum": []string{"exclude", "zero"}},
			"evidence": object(nil, obj{
				"min_sources": obj{"type": "object", "propertyNames": obj{"pattern": `^-?[0-9]+$`}, "additionalProperties": obj{"type": "integer", "minimum": 0}},
			}),
			"tiers": obj{"type": "array", "minItems": 1, "items": tier},
			"profiles": idMap(obj{"oneOf": []any{
				weightsMap,
				object([]string{"weights"}, obj{"reason": text("why this profile"), "weights": weightsMap}),
			}}, "named weight sets"),
			"pillars": obj{"type": "array", "minItems": len(pillarIDs), "maxItems": len(pillarIDs), "items": pillar},
		},
	}
}

// Assessment returns the JSON Schema of an assessment file.
func Assessment() obj {
	ids := obj{"type": "array", "items": obj{"type": "string"}}
	date := obj{"type": "string", "pattern": datePattern, "description": "YYYY, YYYY-MM or YYYY-MM-DD"}
	dateOrYear := obj{"anyOf": []any{date, obj{"type": "integer"}}}
	finding := obj{"anyOf": []any{obj{"type": "null"}, object(nil, obj{
		"level":      obj{"type": []string{"integer", "null"}, "description": "stated level on the rubric's scale"},
		"confidence": obj{"enum": []string{"low", "medium", "high"}},
		"rationale":  text("why this level, in the analyst's words"),
		"change":     text("what changed from the superseded revision"),
		"evidence": obj{"type": "array", "items": object([]string{"claim", "sources"}, obj{
			"claim":   text("one factual sentence"),
			"sources": ids,
		})},
	})}}
	return obj{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     "https://capscore.dev/schemas/assessment.schema.json",
		"title":   "capscore assessment",
		"type":    "object", "additionalProperties": false,
		"required": []string{"country", "code", "rubric", "revision", "as_of", "findings"},
		"properties": obj{
			"country":    text("country name"),
			"code":       obj{"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166-1 alpha-3"},
			"rubric":     obj{"type": "string", "pattern": idPattern},
			"revision":   obj{"type": []string{"string", "integer"}},
			"as_of":      dateOrYear,
			"supersedes": obj{"type": []string{"string", "integer", "null"}},
			"assessors":  obj{"type": "array", "items": obj{"type": "string"}},
			"summary":    text("summary of the assessment"),
			"sources": obj{"type": "object", "additionalProperties": object([]string{"title"}, obj{
				"title": text("title"), "author": text("author"), "publisher": text("publisher"),
				"date": dateOrYear, "url": text("address"),
			})},
			"facts": idMap(object([]string{"value"}, obj{
				"value": number("the quantity"), "as_of": dateOrYear, "sources": ids, "note": text("note"),
				"basis": text("what is counted, and by whom; a changed basis is not comparable"),
			}), "quantities read by measured criteria"),
			"findings": idMap(finding, "criterion id to finding"),

			"rubric_version": obj{"type": []string{"string", "number"}, "description": "version of the rubric the findings were judged against"},
		},
	}
}

// JSON returns the named schema, indented.
func JSON(name string) ([]byte, error) {
	var s obj
	switch name {
	case "rubric":
		s = Rubric()
	case "assessment":
		s = Assessment()
	default:
		return nil, fmt.Errorf("schema %q: use rubric or assessment", name)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	return append(b, '\n'), err
}
