package weights

import (
	"fmt"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// ConfigFile is the weight part of a config file: its `weights` and its
// `profiles`. Viper reads the file's other settings, but it lowercases keys
// and splits them on dots, so `Offence: 2` would silently become `offence`
// and `weights.offence: 2` would vanish; reading these two keys with
// positions lets every such key be refused at FILE:LINE:COL and lets every
// weight say where it was written.
type ConfigFile struct {
	File     string
	Weights  []Override // layer Config
	Profiles []ConfigProfile
}

// ConfigProfile is a named weight set from a config file.
type ConfigProfile struct {
	Name    string
	Reason  string
	Pos     diag.Pos
	Weights []Override // layer Profile
}

// Profile finds a profile by name.
func (c *ConfigFile) Profile(name string) (*ConfigProfile, bool) {
	for i := range c.Profiles {
		if c.Profiles[i].Name == name {
			return &c.Profiles[i], true
		}
	}
	return nil, false
}

// ProfileNames lists the profiles in file order.
func (c *ConfigFile) ProfileNames() []string {
	out := make([]string, len(c.Profiles))
	for i, p := range c.Profiles {
		out[i] = p.Name
	}
	return out
}

// ParseConfig reads the weights and profiles of a config file. Every key of
// the file must be lowercase and free of dots, since viper would fold or
// split it; ids and profile names must be lowercase kebab-case.
func ParseConfig(file string, data []byte) (*ConfigFile, diag.List) {
	c := &ConfigFile{File: file}
	rd, root := yamlread.Parse(file, data)
	if root == nil {
		if rd.Empty() {
			// Blank, only comments or only a null: a file that sets nothing.
			return c, nil
		}
		return nil, rd.Diags
	}
	rd.Entries(root, "config", func(key string, k, v *yaml.Node) {
		if !plainKey(key) {
			rd.Errorf(k, "config key %q: keys are lowercase without dots (viper would read it as %s); %s",
				key, viperReads(key), fixKey(key))
			return
		}
		switch key {
		case "weights":
			if !rd.IsNull(v) {
				c.Weights = settings(rd, v, "weights", func(pos diag.Pos) Origin {
					return Origin{Layer: Config, Source: pos.String(), Name: file}
				})
			}
		case "profiles":
			if !rd.IsNull(v) {
				c.profiles(rd, v)
			}
		}
	})
	return c, rd.Diags
}

func (c *ConfigFile) profiles(rd *yamlread.Reader, n *yaml.Node) {
	rd.Entries(n, "profiles", func(name string, k, v *yaml.Node) {
		what := "profiles." + name
		if !rubric.ValidID(name) {
			rd.Errorf(k, "profile name %q: use lowercase kebab-case without dots%s", name, suggestID(name))
			return
		}
		prof := ConfigProfile{Name: name, Pos: rd.Pos(k)}
		origin := func(pos diag.Pos) Origin {
			return Origin{Layer: Profile, Source: fmt.Sprintf("%s (%s)", name, pos), Name: name}
		}
		// Like the rubric's profiles: either id: value directly, or
		// {reason: ..., weights: {id: value}}.
		long := false
		rd.Entries(v, what, func(key string, _, _ *yaml.Node) {
			long = long || key == "weights" || key == "reason"
		})
		if long {
			rd.Object(v, what,
				yamlread.Field{Key: "reason", Decode: func(n *yaml.Node) {
					if s, ok := rd.String(n, what+".reason"); ok {
						prof.Reason = s
					}
				}},
				yamlread.Field{Key: "weights", Required: true, Decode: func(n *yaml.Node) {
					prof.Weights = settings(rd, n, what+".weights", origin)
				}},
			)
		} else {
			prof.Weights = settings(rd, v, what, origin)
		}
		c.Profiles = append(c.Profiles, prof)
	})
}

// settings reads id: value pairs, refusing ids viper would have changed.
func settings(rd *yamlread.Reader, n *yaml.Node, what string, origin func(diag.Pos) Origin) []Override {
	var out []Override
	rd.Entries(n, what, func(id string, k, v *yaml.Node) {
		if !rubric.ValidID(id) {
			rd.Errorf(k, "%s: id %q: ids are lowercase kebab-case without dots%s", what, id, suggestID(id))
			return
		}
		x, ok := rd.Float(v, what+"."+id)
		if !ok {
			return
		}
		if err := checkValue(x); err != nil {
			rd.Errorf(v, "%s.%s: %s is %v", what, id, v.Value, err)
			return
		}
		out = append(out, Override{ID: id, Value: unsigned(x), Origin: origin(rd.Pos(k)), Text: id + "=" + v.Value})
	})
	return out
}

// plainKey reports whether viper keeps a key as written.
func plainKey(s string) bool { return s == strings.ToLower(s) && !strings.Contains(s, ".") }

func viperReads(key string) string {
	return strings.Join(strings.Split(strings.ToLower(key), "."), " → ")
}

func fixKey(key string) string {
	if strings.Contains(key, ".") {
		parts := strings.SplitN(strings.ToLower(key), ".", 2)
		return fmt.Sprintf("nest it instead: %s: {%s: ...}", parts[0], parts[1])
	}
	return fmt.Sprintf("write %q", strings.ToLower(key))
}

// suggestID offers the lowercase, dot-free spelling when that is a valid id.
func suggestID(id string) string {
	s := strings.ReplaceAll(strings.ToLower(id), ".", "-")
	if s != id && rubric.ValidID(s) {
		return fmt.Sprintf("; write %q", s)
	}
	return ""
}
