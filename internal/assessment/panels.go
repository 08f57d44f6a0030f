package assessment

// Panels groups assessments by country (its code, else its name) and
// revision, as indices into as: every file of one revision is a member of
// that revision's panel, a group of one included. Groups are in the order
// of their first member, members in input order. That the members'
// assessors differ is CheckRevisions' rule.
func Panels(as []*Assessment) [][]int {
	type key struct{ country, revision string }
	at := map[key]int{}
	var groups [][]int
	for i, a := range as {
		if a == nil {
			continue
		}
		k := key{a.Code, a.Revision}
		if k.country == "" {
			k.country = a.Country
		}
		g, ok := at[k]
		if !ok {
			g = len(groups)
			at[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	return groups
}
